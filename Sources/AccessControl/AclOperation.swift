/// Kafka's ACL operations, with their wire codes. `any` occurs only in filters.
public enum AclOperation: Int8, Codable, Sendable, CaseIterable {
    case any = 1
    case all = 2
    case read = 3
    case write = 4
    case create = 5
    case delete = 6
    case alter = 7
    case describe = 8
    case clusterAction = 9
    case describeConfigs = 10
    case alterConfigs = 11
    case idempotentWrite = 12

    /// Operations whose allowance also allows this one (Kafka: READ, WRITE, DELETE or ALTER
    /// imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS).
    var impliedBy: [AclOperation] {
        switch self {
        case .describe: return [.read, .write, .delete, .alter]
        case .describeConfigs: return [.alterConfigs]
        default: return []
        }
    }
}
