/// One ACL: `principal` from `host` is allowed or denied `operation` on the resources
/// that `resourceType`/`resourceName`/`patternType` select.
public struct AclBinding: Codable, Sendable, Hashable {
    public var resourceType: AclResourceType
    public var resourceName: String
    public var patternType: AclPatternType
    /// `User:name`, or `User:*` for every principal.
    public var principal: String
    /// A client IP address, or `*`.
    public var host: String
    public var operation: AclOperation
    public var permission: AclPermission

    public init(
        resourceType: AclResourceType, resourceName: String, patternType: AclPatternType = .literal,
        principal: String, host: String = "*", operation: AclOperation, permission: AclPermission = .allow
    ) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }

    /// Why this binding cannot be stored (Kafka's INVALID_REQUEST cases), nil when it can.
    public var invalidReason: String? {
        if resourceType == .any { return "resource type ANY is only valid in a filter" }
        if patternType == .any || patternType == .match { return "pattern type \(patternType) is only valid in a filter" }
        if operation == .any { return "operation ANY is only valid in a filter" }
        if permission == .any { return "permission ANY is only valid in a filter" }
        if !principal.hasPrefix("User:") || principal.count <= 5 { return "principal must be User:<name>" }
        if resourceName.isEmpty { return "resource name is empty" }
        if resourceType == .cluster && resourceName != "kafka-cluster" { return "the cluster resource is named kafka-cluster" }
        return nil
    }

    /// Whether this binding's resource pattern covers the resource `name` of `type`.
    func covers(_ type: AclResourceType, _ name: String) -> Bool {
        guard resourceType == type else { return false }
        switch patternType {
        case .literal: return resourceName == "*" || resourceName == name
        case .prefixed: return name.hasPrefix(resourceName)
        case .any, .match: return false
        }
    }
}
