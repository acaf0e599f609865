/// How an ACL's resource name matches: exactly (`*` matching every name) or as a prefix.
/// `any` and `match` occur only in filters (DescribeAcls, DeleteAcls).
public enum AclPatternType: Int8, Codable, Sendable, CaseIterable {
    case any = 1
    case match = 2
    case literal = 3
    case prefixed = 4
}
