/// Selects ACLs for DescribeAcls and DeleteAcls: nil fields and `any` match everything;
/// pattern type `match` selects every binding that applies to the named resource.
public struct AclBindingFilter: Sendable, Hashable {
    public var resourceType: AclResourceType
    public var resourceName: String?
    public var patternType: AclPatternType
    public var principal: String?
    public var host: String?
    public var operation: AclOperation
    public var permission: AclPermission

    public init(
        resourceType: AclResourceType = .any, resourceName: String? = nil, patternType: AclPatternType = .any,
        principal: String? = nil, host: String? = nil, operation: AclOperation = .any, permission: AclPermission = .any
    ) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }

    public func matches(_ binding: AclBinding) -> Bool {
        if resourceType != .any && resourceType != binding.resourceType { return false }
        if let principal, principal != binding.principal { return false }
        if let host, host != binding.host { return false }
        if operation != .any && operation != binding.operation { return false }
        if permission != .any && permission != binding.permission { return false }
        switch patternType {
        case .any:
            return resourceName.map { $0 == binding.resourceName } ?? true
        case .literal, .prefixed:
            return patternType == binding.patternType && (resourceName.map { $0 == binding.resourceName } ?? true)
        case .match:
            guard let resourceName else { return true }
            return binding.covers(binding.resourceType, resourceName)
        }
    }
}
