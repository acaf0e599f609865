import AccessControl
import KafkaProtocol
import NIOCore

/// ACL enforcement in front of the API handlers, following Kafka's authorizer: each handler
/// sees only the part of a request the principal may touch, and the rest is answered with
/// TOPIC_/GROUP_/CLUSTER_AUTHORIZATION_FAILED. Metadata omits topics a principal may not describe.
extension RequestDispatcher {
    static let clusterResource = "kafka-cluster"

    func authorizedDispatch(_ request: KafkaRequest, eventLoop: any EventLoop) throws -> RequestOutcome? {
        let version = request.version
        let actor = "\(request.session.principal) \(request.header.clientId ?? "-")@\(request.clientHost)"
        let topicDenied = KafkaErrorCode.topicAuthorizationFailed.rawValue
        let groupDenied = KafkaErrorCode.groupAuthorizationFailed.rawValue
        let clusterDenied = KafkaErrorCode.clusterAuthorizationFailed.rawValue
        func allowed(_ operation: AclOperation, _ type: AclResourceType, _ name: String, audit: Bool = true) -> Bool {
            core.security.authorize(request.session, host: request.clientHost, operation, type, name, api: request.apiKey, audit: audit)
        }
        func now(_ message: any KafkaMessage) -> RequestOutcome {
            .response(eventLoop.makeSucceededFuture(message))
        }
        func topicAllowed(_ operation: AclOperation, _ name: String) -> Bool { allowed(operation, .topic, name) }

        switch request.apiKey {
        case .produce:
            var produce = try request.decode(ProduceRequest.self)
            let denied = produce.topicData.filter { !topicAllowed(.write, $0.name) }.map { topic in
                ProduceResponse.TopicProduceResponse(name: topic.name, partitionResponses: topic.partitionData.map {
                    .init(index: $0.index, errorCode: topicDenied, baseOffset: -1, errorMessage: "not authorized to write")
                })
            }
            guard !denied.isEmpty else { return try self.produce(produce, version: version, eventLoop: eventLoop) }
            produce.topicData.removeAll { topic in denied.contains { $0.name == topic.name } }
            if produce.topicData.isEmpty {
                return produce.acks == 0 ? .noResponse : now(ProduceResponse(responses: denied, throttleTimeMs: 0))
            }
            return merging(try self.produce(produce, version: version, eventLoop: eventLoop), ProduceResponse.self) { $0.responses += denied }

        case .fetch:
            var fetch = try request.decode(FetchRequest.self)
            let denied = fetch.topics.filter { !topicAllowed(.read, $0.topic) }.map { topic in
                FetchResponse.FetchableTopicResponse(topic: topic.topic, partitions: topic.partitions.map {
                    .init(partitionIndex: $0.partition, errorCode: topicDenied, highWatermark: -1, records: nil)
                })
            }
            guard !denied.isEmpty else { return .response(try self.fetch(fetch, version: version, eventLoop: eventLoop)) }
            fetch.topics.removeAll { topic in denied.contains { $0.topic == topic.topic } }
            if fetch.topics.isEmpty {
                return now(FetchResponse(throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: denied))
            }
            return merging(.response(try self.fetch(fetch, version: version, eventLoop: eventLoop)), FetchResponse.self) { $0.responses += denied }

        case .listOffsets:
            var list = try request.decode(ListOffsetsRequest.self)
            let denied = list.topics.filter { !topicAllowed(.describe, $0.name) }.map { topic in
                ListOffsetsResponse.ListOffsetsTopicResponse(name: topic.name, partitions: topic.partitions.map {
                    .init(partitionIndex: $0.partitionIndex, errorCode: topicDenied, timestamp: -1, offset: -1)
                })
            }
            list.topics.removeAll { topic in denied.contains { $0.name == topic.name } }
            var response = try listOffsets(list, version: version)
            response.topics += denied
            return now(response)

        case .metadata:
            let metadataRequest = try request.decode(MetadataRequest.self)
            var response = try metadata(metadataRequest, version: version)
            let explicit = metadataRequest.topics != nil
            response.topics = response.topics.compactMap { topic in
                guard let name = topic.name, !allowed(.describe, .topic, name, audit: explicit) else { return topic }
                guard explicit else { return nil }
                return MetadataResponse.MetadataResponseTopic(errorCode: topicDenied, name: name, topicId: .zero, isInternal: false, partitions: [])
            }
            if let advertised = request.session.advertised {
                for index in response.brokers.indices {
                    response.brokers[index].host = advertised.host
                    response.brokers[index].port = advertised.port
                }
            }
            return now(response)

        case .findCoordinator:
            let find = try request.decode(FindCoordinatorRequest.self)
            var response = try findCoordinator(find, version: version)
            let advertised = request.session.advertised
            if version < 4 {
                if find.keyType == 0, !allowed(.describe, .group, find.key) {
                    response.errorCode = groupDenied
                    response.nodeId = -1
                    response.host = ""
                    response.port = -1
                } else if let advertised, response.errorCode == 0 {
                    response.host = advertised.host
                    response.port = advertised.port
                }
            } else {
                for index in response.coordinators.indices {
                    if find.keyType == 0, !allowed(.describe, .group, response.coordinators[index].key) {
                        response.coordinators[index].errorCode = groupDenied
                        response.coordinators[index].nodeId = -1
                        response.coordinators[index].host = ""
                        response.coordinators[index].port = -1
                    } else if let advertised, response.coordinators[index].errorCode == 0 {
                        response.coordinators[index].host = advertised.host
                        response.coordinators[index].port = advertised.port
                    }
                }
            }
            return now(response)

        case .joinGroup:
            let join = try request.decode(JoinGroupRequest.self)
            guard allowed(.read, .group, join.groupId) else {
                var response = JoinGroupResponse()
                response.errorCode = groupDenied
                response.generationId = -1
                response.protocolName = ""
                response.memberId = join.memberId
                return now(response)
            }
            return .response(try joinGroup(join, request: request, eventLoop: eventLoop))

        case .syncGroup:
            let sync = try request.decode(SyncGroupRequest.self)
            guard allowed(.read, .group, sync.groupId) else {
                var response = SyncGroupResponse()
                response.errorCode = groupDenied
                return now(response)
            }
            return .response(try syncGroup(sync, eventLoop: eventLoop))

        case .heartbeat:
            let heartbeat = try request.decode(HeartbeatRequest.self)
            guard allowed(.read, .group, heartbeat.groupId) else {
                return now(HeartbeatResponse(throttleTimeMs: 0, errorCode: groupDenied))
            }
            return .response(try self.heartbeat(heartbeat, eventLoop: eventLoop))

        case .leaveGroup:
            let leave = try request.decode(LeaveGroupRequest.self)
            guard allowed(.read, .group, leave.groupId) else {
                return now(LeaveGroupResponse(throttleTimeMs: 0, errorCode: groupDenied, members: []))
            }
            return .response(try leaveGroup(leave, version: version, eventLoop: eventLoop))

        case .offsetCommit:
            var commit = try request.decode(OffsetCommitRequest.self)
            let groupAllowed = allowed(.read, .group, commit.groupId)
            let denied = commit.topics.filter { !groupAllowed || !topicAllowed(.read, $0.name) }.map { topic in
                OffsetCommitResponse.OffsetCommitResponseTopic(name: topic.name, partitions: topic.partitions.map {
                    .init(partitionIndex: $0.partitionIndex, errorCode: groupAllowed ? topicDenied : groupDenied)
                })
            }
            guard !denied.isEmpty else { return .response(try offsetCommit(commit, eventLoop: eventLoop)) }
            commit.topics.removeAll { topic in denied.contains { $0.name == topic.name } }
            if commit.topics.isEmpty { return now(OffsetCommitResponse(throttleTimeMs: 0, topics: denied)) }
            return merging(.response(try offsetCommit(commit, eventLoop: eventLoop)), OffsetCommitResponse.self) { $0.topics += denied }

        case .offsetFetch:
            let fetch = try request.decode(OffsetFetchRequest.self)
            guard allowed(.describe, .group, fetch.groupId) else {
                var response = OffsetFetchResponse()
                response.errorCode = groupDenied
                response.topics = (fetch.topics ?? []).map { topic in
                    .init(name: topic.name, partitions: topic.partitionIndexes.map {
                        .init(partitionIndex: $0, committedOffset: -1, metadata: "", errorCode: groupDenied)
                    })
                }
                return now(response)
            }
            let explicit = fetch.topics != nil
            let session = request.session
            let security = core.security
            let host = request.clientHost
            return merging(.response(try offsetFetch(fetch, version: version, eventLoop: eventLoop)), OffsetFetchResponse.self) { response in
                response.topics = response.topics.compactMap { topic in
                    guard !security.authorize(session, host: host, .describe, .topic, topic.name, api: .offsetFetch, audit: explicit) else { return topic }
                    guard explicit else { return nil }
                    var denied = topic
                    for index in denied.partitions.indices {
                        denied.partitions[index].errorCode = topicDenied
                        denied.partitions[index].committedOffset = -1
                    }
                    return denied
                }
            }

        case .describeGroups:
            var describe = try request.decode(DescribeGroupsRequest.self)
            let denied = describe.groups.filter { !allowed(.describe, .group, $0) }.map {
                DescribeGroupsResponse.DescribedGroup(errorCode: groupDenied, groupId: $0, groupState: "", protocolType: "", protocolData: "", members: [])
            }
            describe.groups.removeAll { group in denied.contains { $0.groupId == group } }
            if describe.groups.isEmpty { return now(DescribeGroupsResponse(throttleTimeMs: 0, groups: denied)) }
            return merging(.response(try describeGroups(describe, eventLoop: eventLoop)), DescribeGroupsResponse.self) { $0.groups += denied }

        case .listGroups:
            let list = try request.decode(ListGroupsRequest.self)
            guard !allowed(.describe, .cluster, Self.clusterResource, audit: false) else {
                return .response(try listGroups(list, eventLoop: eventLoop))
            }
            let session = request.session
            let security = core.security
            let host = request.clientHost
            return merging(.response(try listGroups(list, eventLoop: eventLoop)), ListGroupsResponse.self) { response in
                response.groups.removeAll { !security.authorize(session, host: host, .describe, .group, $0.groupId, api: .listGroups, audit: false) }
            }

        case .createTopics:
            var create = try request.decode(CreateTopicsRequest.self)
            let clusterCreate = allowed(.create, .cluster, Self.clusterResource, audit: false)
            let denied = create.topics.filter { !clusterCreate && !topicAllowed(.create, $0.name) }.map {
                CreateTopicsResponse.CreatableTopicResult(name: $0.name, errorCode: topicDenied, errorMessage: "not authorized to create topics")
            }
            create.topics.removeAll { topic in denied.contains { $0.name == topic.name } }
            var response = try createTopics(create, version: version, actor: actor)
            response.topics += denied
            return now(response)

        case .deleteTopics:
            var delete = try request.decode(DeleteTopicsRequest.self)
            let names = delete.topicNames + delete.topics.compactMap(\.name)
            let denied = names.filter { !topicAllowed(.delete, $0) }.map {
                DeleteTopicsResponse.DeletableTopicResult(name: $0, errorCode: topicDenied, errorMessage: "not authorized to delete")
            }
            delete.topicNames.removeAll { name in denied.contains { $0.name == name } }
            delete.topics.removeAll { topic in denied.contains { $0.name == topic.name } }
            var response = try deleteTopics(delete, version: version, actor: actor)
            response.responses += denied
            return now(response)

        case .createPartitions:
            var create = try request.decode(CreatePartitionsRequest.self)
            let denied = create.topics.filter { !topicAllowed(.alter, $0.name) }.map {
                CreatePartitionsResponse.CreatePartitionsTopicResult(name: $0.name, errorCode: topicDenied, errorMessage: "not authorized to alter")
            }
            create.topics.removeAll { topic in denied.contains { $0.name == topic.name } }
            var response = try createPartitions(create, actor: actor)
            response.results += denied
            return now(response)

        case .deleteRecords:
            var delete = try request.decode(DeleteRecordsRequest.self)
            let denied = delete.topics.filter { !topicAllowed(.delete, $0.name) }.map { topic in
                DeleteRecordsResponse.DeleteRecordsTopicResult(name: topic.name, partitions: topic.partitions.map {
                    .init(partitionIndex: $0.partitionIndex, lowWatermark: -1, errorCode: topicDenied)
                })
            }
            delete.topics.removeAll { topic in denied.contains { $0.name == topic.name } }
            var response = try deleteRecords(delete, actor: actor)
            response.topics += denied
            return now(response)

        case .describeConfigs:
            var describe = try request.decode(DescribeConfigsRequest.self)
            let denied = removeDeniedConfigResources(&describe.resources, .describeConfigs, type: \.resourceType, name: \.resourceName, allowed)
            var response = try describeConfigs(describe, version: version)
            response.results += denied.map {
                DescribeConfigsResponse.DescribeConfigsResult(
                    errorCode: $0.errorCode, errorMessage: "not authorized",
                    resourceType: $0.resource.resourceType, resourceName: $0.resource.resourceName, configs: [])
            }
            return now(response)

        case .alterConfigs:
            var alter = try request.decode(AlterConfigsRequest.self)
            let denied = removeDeniedConfigResources(&alter.resources, .alterConfigs, type: \.resourceType, name: \.resourceName, allowed)
            var response = try alterConfigs(alter, actor: actor)
            response.responses += denied.map {
                AlterConfigsResponse.AlterConfigsResourceResponse(
                    errorCode: $0.errorCode, errorMessage: "not authorized",
                    resourceType: $0.resource.resourceType, resourceName: $0.resource.resourceName)
            }
            return now(response)

        case .incrementalAlterConfigs:
            var alter = try request.decode(IncrementalAlterConfigsRequest.self)
            let denied = removeDeniedConfigResources(&alter.resources, .alterConfigs, type: \.resourceType, name: \.resourceName, allowed)
            var response = try incrementalAlterConfigs(alter, actor: actor)
            response.responses += denied.map {
                IncrementalAlterConfigsResponse.AlterConfigsResourceResponse(
                    errorCode: $0.errorCode, errorMessage: "not authorized",
                    resourceType: $0.resource.resourceType, resourceName: $0.resource.resourceName)
            }
            return now(response)

        case .initProducerId:
            let initRequest = try request.decode(InitProducerIdRequest.self)
            // Kafka: an idempotent producer needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic.
            if initRequest.transactionalId == nil,
               !allowed(.idempotentWrite, .cluster, Self.clusterResource, audit: false),
               !core.topics.all.contains(where: { allowed(.write, .topic, $0.name, audit: false) }) {
                _ = allowed(.idempotentWrite, .cluster, Self.clusterResource)
                return now(InitProducerIdResponse(throttleTimeMs: 0, errorCode: clusterDenied, producerId: -1, producerEpoch: -1))
            }
            return now(try initProducerID(initRequest))

        default:
            return nil
        }
    }

    /// Topic configs need the operation on the topic; broker configs (types 4, 8) on the cluster.
    /// Takes the config resources `operation` is not allowed on out of `resources` (so the
    /// handler never sees them) and returns them with the code each is answered with.
    private func removeDeniedConfigResources<Resource>(
        _ resources: inout [Resource], _ operation: AclOperation,
        type: (Resource) -> Int8, name: (Resource) -> String,
        _ allowed: (AclOperation, AclResourceType, String, Bool) -> Bool
    ) -> [(resource: Resource, errorCode: Int16)] {
        var denied: [(resource: Resource, errorCode: Int16)] = []
        resources.removeAll { resource in
            guard !configAllowed(operation, type(resource), name(resource), allowed) else { return false }
            let code: KafkaErrorCode = type(resource) == 2 ? .topicAuthorizationFailed : .clusterAuthorizationFailed
            denied.append((resource, code.rawValue))
            return true
        }
        return denied
    }

    private func configAllowed(
        _ operation: AclOperation, _ resourceType: Int8, _ name: String,
        _ allowed: (AclOperation, AclResourceType, String, Bool) -> Bool
    ) -> Bool {
        resourceType == 2 ? allowed(operation, .topic, name, true) : allowed(operation, .cluster, Self.clusterResource, true)
    }

    /// Adds the answers for the denied part to the handler's response once it is ready.
    private func merging<Response: KafkaMessage>(
        _ outcome: RequestOutcome, _: Response.Type, _ amend: @escaping @Sendable (inout Response) -> Void
    ) -> RequestOutcome {
        guard case .response(let future) = outcome else { return outcome }
        return .response(future.map { message -> any KafkaMessage in
            guard var response = message as? Response else { return message }
            amend(&response)
            return response
        })
    }
}
