/// Whether an ACL allows or denies; `any` occurs only in filters.
public enum AclPermission: Int8, Codable, Sendable, CaseIterable {
    case any = 1
    case deny = 2
    case allow = 3
}
