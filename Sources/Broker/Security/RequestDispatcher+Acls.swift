import Foundation
import AccessControl
import KafkaProtocol

/// DescribeAcls, CreateAcls, DeleteAcls: DESCRIBE (ALTER for changes) on the cluster, as in Kafka.
/// Every accepted change is also written to compliance-events.
extension RequestDispatcher {
    func describeAcls(_ request: DescribeAclsRequest, request raw: KafkaRequest) -> DescribeAclsResponse {
        if let refusal = aclRefusal(.describe, raw) {
            return DescribeAclsResponse(throttleTimeMs: 0, errorCode: refusal.code.rawValue, errorMessage: refusal.message, resources: [])
        }
        guard let filter = Self.filter(
            request.resourceTypeFilter, request.resourceNameFilter, request.patternTypeFilter, request.principalFilter,
            request.hostFilter, request.operation, request.permissionType)
        else {
            return DescribeAclsResponse(throttleTimeMs: 0, errorCode: KafkaErrorCode.invalidRequest.rawValue, errorMessage: "unknown ACL filter value", resources: [])
        }
        let matching = core.security.acls.snapshot.bindings(matching: filter)
        let byResource = Dictionary(grouping: matching) { ResourceKey(type: $0.resourceType, name: $0.resourceName, pattern: $0.patternType) }
        let resources = byResource.sorted { ($0.key.type.rawValue, $0.key.name) < ($1.key.type.rawValue, $1.key.name) }.map { key, bindings in
            DescribeAclsResponse.DescribeAclsResource(
                resourceType: key.type.rawValue, resourceName: key.name, patternType: key.pattern.rawValue,
                acls: bindings.map {
                    .init(principal: $0.principal, host: $0.host, operation: $0.operation.rawValue, permissionType: $0.permission.rawValue)
                })
        }
        return DescribeAclsResponse(throttleTimeMs: 0, errorCode: 0, errorMessage: nil, resources: resources)
    }

    func createAcls(_ request: CreateAclsRequest, request raw: KafkaRequest) -> CreateAclsResponse {
        if let refusal = aclRefusal(.alter, raw) {
            return CreateAclsResponse(throttleTimeMs: 0, results: request.creations.map { _ in .init(errorCode: refusal.code.rawValue, errorMessage: refusal.message) })
        }
        var results: [CreateAclsResponse.AclCreationResult] = []
        var valid: [AclBinding] = []
        for creation in request.creations {
            guard let type = AclResourceType(rawValue: creation.resourceType),
                  let pattern = AclPatternType(rawValue: raw.version == 0 ? AclPatternType.literal.rawValue : creation.resourcePatternType),
                  let operation = AclOperation(rawValue: creation.operation),
                  let permission = AclPermission(rawValue: creation.permissionType)
            else {
                results.append(.init(errorCode: KafkaErrorCode.invalidRequest.rawValue, errorMessage: "unknown ACL value"))
                continue
            }
            let binding = AclBinding(
                resourceType: type, resourceName: creation.resourceName, patternType: pattern, principal: creation.principal,
                host: creation.host, operation: operation, permission: permission)
            if let reason = binding.invalidReason {
                results.append(.init(errorCode: KafkaErrorCode.invalidRequest.rawValue, errorMessage: reason))
            } else {
                valid.append(binding)
                results.append(.init(errorCode: 0, errorMessage: nil))
            }
        }
        do {
            try core.security.acls.create(valid)
        } catch {
            core.logger.error("cannot persist ACLs: \(error)")
            return CreateAclsResponse(throttleTimeMs: 0, results: request.creations.map { _ in
                .init(errorCode: KafkaErrorCode.unknownServerError.rawValue, errorMessage: "ACLs could not be stored")
            })
        }
        for binding in valid { recordAclChange("CreateAcls", binding, raw) }
        return CreateAclsResponse(throttleTimeMs: 0, results: results)
    }

    func deleteAcls(_ request: DeleteAclsRequest, request raw: KafkaRequest) -> DeleteAclsResponse {
        if let refusal = aclRefusal(.alter, raw) {
            return DeleteAclsResponse(throttleTimeMs: 0, filterResults: request.filters.map { _ in
                .init(errorCode: refusal.code.rawValue, errorMessage: refusal.message, matchingAcls: [])
            })
        }
        let filters = request.filters.map {
            Self.filter($0.resourceTypeFilter, $0.resourceNameFilter, raw.version == 0 ? AclPatternType.literal.rawValue : $0.patternTypeFilter,
                        $0.principalFilter, $0.hostFilter, $0.operation, $0.permissionType)
        }
        let removed: [[AclBinding]]
        do {
            removed = try core.security.acls.delete(filters.compactMap { $0 })
        } catch {
            core.logger.error("cannot persist ACLs: \(error)")
            return DeleteAclsResponse(throttleTimeMs: 0, filterResults: request.filters.map { _ in
                .init(errorCode: KafkaErrorCode.unknownServerError.rawValue, errorMessage: "ACLs could not be stored", matchingAcls: [])
            })
        }
        var next = removed.makeIterator()
        let results = filters.map { filter -> DeleteAclsResponse.DeleteAclsFilterResult in
            guard filter != nil, let bindings = next.next() else {
                return .init(errorCode: KafkaErrorCode.invalidRequest.rawValue, errorMessage: "unknown ACL filter value", matchingAcls: [])
            }
            for binding in bindings { recordAclChange("DeleteAcls", binding, raw) }
            return .init(errorCode: 0, errorMessage: nil, matchingAcls: bindings.map {
                .init(
                    errorCode: 0, errorMessage: nil, resourceType: $0.resourceType.rawValue, resourceName: $0.resourceName,
                    patternType: $0.patternType.rawValue, principal: $0.principal, host: $0.host,
                    operation: $0.operation.rawValue, permissionType: $0.permission.rawValue)
            })
        }
        return DeleteAclsResponse(throttleTimeMs: 0, filterResults: results)
    }

    private struct ResourceKey: Hashable {
        var type: AclResourceType
        var name: String
        var pattern: AclPatternType
    }

    /// SECURITY_DISABLED without an authorizer (as Kafka), CLUSTER_AUTHORIZATION_FAILED without the right.
    private func aclRefusal(_ operation: AclOperation, _ raw: KafkaRequest) -> (code: KafkaErrorCode, message: String)? {
        guard core.security.authorizationEnabled else {
            return (.securityDisabled, "no authorizer: ACLs are enforced only when a listener authenticates")
        }
        guard core.security.authorize(raw.session, host: raw.clientHost, operation, .cluster, Self.clusterResource, api: raw.apiKey) else {
            return (.clusterAuthorizationFailed, "not authorized to \(operation) ACLs")
        }
        return nil
    }

    private static func filter(
        _ type: Int8, _ name: String?, _ pattern: Int8, _ principal: String?, _ host: String?, _ operation: Int8, _ permission: Int8
    ) -> AclBindingFilter? {
        guard let type = AclResourceType(rawValue: type), let pattern = AclPatternType(rawValue: pattern),
              let operation = AclOperation(rawValue: operation), let permission = AclPermission(rawValue: permission)
        else { return nil }
        return AclBindingFilter(
            resourceType: type, resourceName: name, patternType: pattern, principal: principal, host: host,
            operation: operation, permission: permission)
    }

    private func recordAclChange(_ api: String, _ binding: AclBinding, _ raw: KafkaRequest) {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        core.trail.record(ComplianceEvent(
            kind: .adminChange, outcome: .passed, subjectType: .cluster,
            subjectID: "acl:\(binding.resourceType):\(binding.patternType):\(binding.resourceName)",
            notes: "\(api): \(binding.permission) \(binding.principal) \(binding.operation) from \(binding.host)",
            occurredAt: now, actor: raw.session.principal))
    }
}
