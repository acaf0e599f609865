/// Kafka's ACL resource types, with their wire codes.
public enum AclResourceType: Int8, Codable, Sendable, CaseIterable {
    case any = 1
    case topic = 2
    case group = 3
    case cluster = 4
    case transactionalID = 5
    case delegationToken = 6
    case user = 7
}
