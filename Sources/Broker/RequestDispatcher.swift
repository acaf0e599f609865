import KafkaProtocol
import Logging
import NIOCore

/// Routes each request to the handler for its API and version.
///
/// Handlers live in `RequestDispatcher+<Api>.swift`. A handler that throws a decoding
/// error makes the connection close (what Kafka does with a request it cannot parse);
/// every other problem is answered with a Kafka error code.
struct RequestDispatcher: Sendable {
    let core: BrokerCore

    func dispatch(_ request: KafkaRequest, eventLoop: any EventLoop) throws -> RequestOutcome {
        guard SupportedApis.supports(request.apiKey, request.version) else {
            if request.apiKey == .apiVersions {
                // KIP-511: answer an unknown ApiVersions version with v0 and the list, so the client can retry.
                return .response(eventLoop.makeSucceededFuture(apiVersionsResponse(error: .unsupportedVersion)))
            }
            throw UnsupportedVersion(apiKey: request.apiKey, version: request.version)
        }
        // SASL and ACLs (Security/RequestDispatcher+SecurityGate.swift); nil lets the request through.
        if let outcome = try securityGate(request, eventLoop: eventLoop) { return outcome }
        let actor = "\(request.header.clientId ?? "-")@\(request.clientHost)"
        func now(_ message: any KafkaMessage) -> RequestOutcome {
            .response(eventLoop.makeSucceededFuture(message))
        }
        switch request.apiKey {
        case .apiVersions:
            _ = try request.decode(ApiVersionsRequest.self)
            return now(apiVersionsResponse(error: .none))
        case .metadata:
            return now(try metadata(request.decode(MetadataRequest.self), version: request.version))
        case .produce:
            return try produce(request.decode(ProduceRequest.self), version: request.version, eventLoop: eventLoop)
        case .fetch:
            return .response(try fetch(request.decode(FetchRequest.self), version: request.version, eventLoop: eventLoop))
        case .listOffsets:
            return now(try listOffsets(request.decode(ListOffsetsRequest.self), version: request.version))
        case .initProducerId:
            return now(try initProducerID(request.decode(InitProducerIdRequest.self)))
        case .createTopics:
            return now(try createTopics(request.decode(CreateTopicsRequest.self), version: request.version, actor: actor))
        case .deleteTopics:
            return now(try deleteTopics(request.decode(DeleteTopicsRequest.self), version: request.version, actor: actor))
        case .createPartitions:
            return now(try createPartitions(request.decode(CreatePartitionsRequest.self), actor: actor))
        case .deleteRecords:
            return now(try deleteRecords(request.decode(DeleteRecordsRequest.self), actor: actor))
        case .describeConfigs:
            return now(try describeConfigs(request.decode(DescribeConfigsRequest.self), version: request.version))
        case .alterConfigs:
            return now(try alterConfigs(request.decode(AlterConfigsRequest.self), actor: actor))
        case .incrementalAlterConfigs:
            return now(try incrementalAlterConfigs(request.decode(IncrementalAlterConfigsRequest.self), actor: actor))
        case .findCoordinator:
            return now(try findCoordinator(request.decode(FindCoordinatorRequest.self), version: request.version))
        case .joinGroup:
            return .response(try joinGroup(request.decode(JoinGroupRequest.self), request: request, eventLoop: eventLoop))
        case .syncGroup:
            return .response(try syncGroup(request.decode(SyncGroupRequest.self), eventLoop: eventLoop))
        case .heartbeat:
            return .response(try heartbeat(request.decode(HeartbeatRequest.self), eventLoop: eventLoop))
        case .leaveGroup:
            return .response(try leaveGroup(request.decode(LeaveGroupRequest.self), version: request.version, eventLoop: eventLoop))
        case .offsetCommit:
            return .response(try offsetCommit(request.decode(OffsetCommitRequest.self), eventLoop: eventLoop))
        case .offsetFetch:
            return .response(try offsetFetch(request.decode(OffsetFetchRequest.self), version: request.version, eventLoop: eventLoop))
        case .listGroups:
            return .response(try listGroups(request.decode(ListGroupsRequest.self), eventLoop: eventLoop))
        case .describeGroups:
            return .response(try describeGroups(request.decode(DescribeGroupsRequest.self), eventLoop: eventLoop))
        default:
            throw UnsupportedVersion(apiKey: request.apiKey, version: request.version)
        }
    }

    func apiVersionsResponse(error: KafkaErrorCode) -> ApiVersionsResponse {
        let keys = SupportedApis.versions
            .sorted { $0.key.rawValue < $1.key.rawValue }
            .map { ApiVersionsResponse.ApiVersion(apiKey: $0.key.rawValue, minVersion: $0.value.lowerBound, maxVersion: $0.value.upperBound) }
        return ApiVersionsResponse(errorCode: error.rawValue, apiKeys: keys)
    }
}

struct UnsupportedVersion: Error, CustomStringConvertible {
    var apiKey: ApiKey
    var version: Int16
    var description: String { "\(apiKey.name) version \(version) is not supported" }
}
