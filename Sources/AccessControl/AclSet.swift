/// A set of ACLs and Kafka's rule for deciding with them: a matching DENY wins over any
/// ALLOW, and with no matching ALLOW the answer is no (default deny).
public struct AclSet: Sendable, Equatable, Codable {
    public private(set) var bindings: [AclBinding] = []

    public init(_ bindings: [AclBinding] = []) {
        for binding in bindings { insert(binding) }
    }

    /// Adds `binding` unless an equal one is present; returns whether it was new.
    @discardableResult
    public mutating func insert(_ binding: AclBinding) -> Bool {
        guard !bindings.contains(binding) else { return false }
        bindings.append(binding)
        return true
    }

    /// Removes and returns the bindings `filter` matches.
    public mutating func remove(matching filter: AclBindingFilter) -> [AclBinding] {
        let removed = bindings.filter(filter.matches)
        bindings.removeAll(where: filter.matches)
        return removed
    }

    public func bindings(matching filter: AclBindingFilter) -> [AclBinding] {
        bindings.filter(filter.matches)
    }

    /// Whether `principal` connecting from `host` may perform `operation` on the resource.
    public func allows(principal: String, host: String, operation: AclOperation, resourceType: AclResourceType, resourceName: String) -> Bool {
        let applicable = bindings.filter { binding in
            binding.covers(resourceType, resourceName)
                && (binding.principal == principal || binding.principal == "User:*")
                && (binding.host == "*" || binding.host == host)
        }
        let denied = applicable.contains { $0.permission == .deny && ($0.operation == .all || $0.operation == operation) }
        if denied { return false }
        let granting = [operation, .all] + operation.impliedBy
        return applicable.contains { $0.permission == .allow && granting.contains($0.operation) }
    }
}
