import KafkaProtocol
import NIOCore

extension RequestDispatcher {
    /// This broker coordinates every group; v4+ batches several keys in one request.
    func findCoordinator(_ request: FindCoordinatorRequest, version: Int16) throws -> FindCoordinatorResponse {
        let node = core.configuration.nodeID
        if version >= 4 {
            return FindCoordinatorResponse(
                throttleTimeMs: 0,
                coordinators: request.coordinatorKeys.map {
                    FindCoordinatorResponse.Coordinator(key: $0, nodeId: node, host: core.advertisedHost, port: core.advertisedPort, errorCode: 0, errorMessage: nil)
                })
        }
        return FindCoordinatorResponse(throttleTimeMs: 0, errorCode: 0, errorMessage: nil, nodeId: node, host: core.advertisedHost, port: core.advertisedPort)
    }

    func joinGroup(_ request: JoinGroupRequest, request raw: KafkaRequest, eventLoop: any EventLoop) throws -> EventLoopFuture<any KafkaMessage> {
        let join = GroupJoinRequest(
            groupId: request.groupId,
            memberId: request.memberId,
            groupInstanceId: request.groupInstanceId,
            clientId: raw.header.clientId ?? "",
            clientHost: "/" + raw.clientHost,
            sessionTimeoutMs: request.sessionTimeoutMs,
            // v0 has no rebalance timeout: Kafka uses the session timeout for it.
            rebalanceTimeoutMs: raw.version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
            protocolType: request.protocolType,
            protocols: request.protocols.map { GroupJoinProtocol(name: $0.name, metadata: Array($0.metadata.readableBytesView)) },
            requireKnownMemberId: raw.version >= 4)
        let version = raw.version
        let groups = core.groups
        return eventLoop.makeFutureWithTask {
            let result = await groups.join(join)
            return JoinGroupResponse(
                throttleTimeMs: 0,
                errorCode: result.error.rawValue,
                generationId: result.generationId,
                protocolType: result.protocolType,
                protocolName: version >= 7 ? result.protocolName : (result.protocolName ?? ""),
                leader: result.leaderId,
                skipAssignment: result.skipAssignment,
                memberId: result.memberId,
                members: result.members.map {
                    JoinGroupResponse.JoinGroupResponseMember(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, metadata: ByteBuffer(bytes: $0.metadata))
                })
        }
    }

    func syncGroup(_ request: SyncGroupRequest, eventLoop: any EventLoop) throws -> EventLoopFuture<any KafkaMessage> {
        var assignments: [String: [UInt8]] = [:]
        for assignment in request.assignments {
            assignments[assignment.memberId] = Array(assignment.assignment.readableBytesView)
        }
        let sync = GroupSyncRequest(
            groupId: request.groupId, memberId: request.memberId, groupInstanceId: request.groupInstanceId,
            generationId: request.generationId, protocolType: request.protocolType, protocolName: request.protocolName,
            assignments: assignments)
        let groups = core.groups
        return eventLoop.makeFutureWithTask {
            let result = await groups.sync(sync)
            return SyncGroupResponse(
                throttleTimeMs: 0, errorCode: result.error.rawValue, protocolType: result.protocolType,
                protocolName: result.protocolName, assignment: ByteBuffer(bytes: result.assignment))
        }
    }

    func heartbeat(_ request: HeartbeatRequest, eventLoop: any EventLoop) throws -> EventLoopFuture<any KafkaMessage> {
        let heartbeat = GroupHeartbeatRequest(
            groupId: request.groupId, memberId: request.memberId, groupInstanceId: request.groupInstanceId, generationId: request.generationId)
        let groups = core.groups
        return eventLoop.makeFutureWithTask {
            HeartbeatResponse(throttleTimeMs: 0, errorCode: await groups.heartbeat(heartbeat).rawValue)
        }
    }

    func leaveGroup(_ request: LeaveGroupRequest, version: Int16, eventLoop: any EventLoop) throws -> EventLoopFuture<any KafkaMessage> {
        let leaving = version >= 3
            ? request.members.map { GroupLeavingMember(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId) }
            : [GroupLeavingMember(memberId: request.memberId)]
        let groups = core.groups
        let groupId = request.groupId
        return eventLoop.makeFutureWithTask {
            let result = await groups.leave(groupId: groupId, members: leaving)
            if version >= 3 {
                return LeaveGroupResponse(
                    throttleTimeMs: 0, errorCode: result.error.rawValue,
                    members: result.members.map {
                        LeaveGroupResponse.MemberResponse(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, errorCode: $0.error.rawValue)
                    })
            }
            // v0-2 carry one member: its error is the response's error.
            let error = result.error != .none ? result.error : (result.members.first?.error ?? .none)
            return LeaveGroupResponse(throttleTimeMs: 0, errorCode: error.rawValue)
        }
    }

    func offsetCommit(_ request: OffsetCommitRequest, eventLoop: any EventLoop) throws -> EventLoopFuture<any KafkaMessage> {
        var offsets: [PartitionOffsetCommit] = []
        var unknown: [(String, Int32)] = []
        for topic in request.topics {
            for partition in topic.partitions {
                guard let metadata = core.topics[topic.name], partition.partitionIndex >= 0, partition.partitionIndex < metadata.partitionCount else {
                    unknown.append((topic.name, partition.partitionIndex))
                    continue
                }
                offsets.append(PartitionOffsetCommit(
                    topic: topic.name, partition: partition.partitionIndex, offset: partition.committedOffset,
                    leaderEpoch: partition.committedLeaderEpoch, metadata: partition.committedMetadata))
            }
        }
        let commit = GroupOffsetCommit(
            groupId: request.groupId, memberId: request.memberId, groupInstanceId: request.groupInstanceId,
            generationId: request.generationIdOrMemberEpoch, offsets: offsets)
        let groups = core.groups
        let hasOffsets = !offsets.isEmpty
        let unknownPartitions = unknown
        return eventLoop.makeFutureWithTask {
            let results = hasOffsets ? await groups.commitOffsets(commit) : []
            var byTopic: [String: [OffsetCommitResponse.OffsetCommitResponsePartition]] = [:]
            var order: [String] = []
            func add(_ topic: String, _ partition: Int32, _ code: Int16) {
                if byTopic[topic] == nil { order.append(topic) }
                byTopic[topic, default: []].append(OffsetCommitResponse.OffsetCommitResponsePartition(partitionIndex: partition, errorCode: code))
            }
            for result in results { add(result.topic, result.partition, result.error.rawValue) }
            for (topic, partition) in unknownPartitions { add(topic, partition, KafkaErrorCode.unknownTopicOrPartition.rawValue) }
            return OffsetCommitResponse(
                throttleTimeMs: 0,
                topics: order.map { OffsetCommitResponse.OffsetCommitResponseTopic(name: $0, partitions: byTopic[$0]!) })
        }
    }

    func offsetFetch(_ request: OffsetFetchRequest, version: Int16, eventLoop: any EventLoop) throws -> EventLoopFuture<any KafkaMessage> {
        let partitions: [GroupTopicPartition]? = request.topics.map { topics in
            topics.flatMap { topic in topic.partitionIndexes.map { GroupTopicPartition(topic: topic.name, partition: $0) } }
        }
        let groups = core.groups
        let groupId = request.groupId
        return eventLoop.makeFutureWithTask {
            let results = await groups.fetchOffsets(groupId: groupId, partitions: partitions)
            var byTopic: [String: [OffsetFetchResponse.OffsetFetchResponsePartition]] = [:]
            var order: [String] = []
            for result in results {
                if byTopic[result.topic] == nil { order.append(result.topic) }
                byTopic[result.topic, default: []].append(OffsetFetchResponse.OffsetFetchResponsePartition(
                    partitionIndex: result.partition, committedOffset: result.offset, committedLeaderEpoch: result.leaderEpoch,
                    metadata: result.metadata, errorCode: result.error.rawValue))
            }
            return OffsetFetchResponse(
                throttleTimeMs: 0,
                topics: order.map { OffsetFetchResponse.OffsetFetchResponseTopic(name: $0, partitions: byTopic[$0]!) },
                errorCode: 0)
        }
    }

    func listGroups(_ request: ListGroupsRequest, eventLoop: any EventLoop) throws -> EventLoopFuture<any KafkaMessage> {
        let states: Set<GroupState>? = request.statesFilter.isEmpty ? nil : Set(request.statesFilter.compactMap { GroupState(name: $0) })
        let groups = core.groups
        return eventLoop.makeFutureWithTask {
            let listed = await groups.listGroups(states: states)
            return ListGroupsResponse(
                throttleTimeMs: 0, errorCode: 0,
                groups: listed.map { ListGroupsResponse.ListedGroup(groupId: $0.groupId, protocolType: $0.protocolType, groupState: $0.state.name) })
        }
    }

    func describeGroups(_ request: DescribeGroupsRequest, eventLoop: any EventLoop) throws -> EventLoopFuture<any KafkaMessage> {
        let groups = core.groups
        let ids = request.groups
        return eventLoop.makeFutureWithTask {
            let described = await groups.describeGroups(ids)
            return DescribeGroupsResponse(
                throttleTimeMs: 0,
                groups: described.map { group in
                    DescribeGroupsResponse.DescribedGroup(
                        errorCode: group.error.rawValue, groupId: group.groupId, groupState: group.stateName,
                        protocolType: group.protocolType, protocolData: group.protocolName,
                        members: group.members.map {
                            DescribeGroupsResponse.DescribedGroupMember(
                                memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, clientId: $0.clientId, clientHost: $0.clientHost,
                                memberMetadata: ByteBuffer(bytes: $0.metadata), memberAssignment: ByteBuffer(bytes: $0.assignment))
                        })
                })
        }
    }
}
