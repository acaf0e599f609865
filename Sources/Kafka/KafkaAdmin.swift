import CRdKafka
import Logging

/// Manages topics and reads cluster metadata.
///
/// Every operation waits for the broker's answer (at most `requestTimeout`) without blocking
/// Swift's concurrency threads, and throws a ``KafkaError`` naming what failed.
///
/// ```swift
/// let admin = try KafkaAdmin(configuration: .init(bootstrapServers: ["127.0.0.1:9092"]))
/// try await admin.createTopics([KafkaNewTopic(name: "payments", partitions: 12, configs: ["retention.ms": "-1"])])
/// let metadata = try await admin.metadata()
/// await admin.shutdown()
/// ```
public final class KafkaAdmin: Sendable {
    let client: RdKafkaClient
    private let timeoutMilliseconds: Int32

    public init(configuration: KafkaAdminConfiguration, logger: Logger = Logger(label: "Kafka.admin")) throws {
        var properties = configuration.properties
        if configuration.bootstrapServers.isEmpty { properties["bootstrap.servers"] = nil }
        client = try RdKafkaClient(type: RD_KAFKA_PRODUCER, properties: properties, callbacks: RdKafkaCallbacks(logger: logger))
        timeoutMilliseconds = Int32(clamping: configuration.requestTimeout.milliseconds)
    }

    /// Creates topics; throws for the first one the broker refused (e.g. TOPIC_ALREADY_EXISTS).
    public func createTopics(_ topics: [KafkaNewTopic]) async throws {
        try await request(RD_KAFKA_EVENT_CREATETOPICS_RESULT, start: { rk, options, queue in
            var errstr = [CChar](repeating: 0, count: 512)
            var newTopics: [OpaquePointer?] = []
            defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
            for topic in topics {
                guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, topic.replicationFactor ?? -1, &errstr, errstr.count) else {
                    throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: "\(topic.name): \(String(nulTerminated: errstr))")
                }
                newTopics.append(newTopic)
                for (name, value) in topic.configs {
                    try KafkaError.check(rd_kafka_NewTopic_set_config(newTopic, name, value), "\(topic.name) \(name)")
                }
            }
            rd_kafka_CreateTopics(rk, &newTopics, newTopics.count, options, queue)
        }, read: { event in
            var count = 0
            let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
            try Self.checkTopicResults(results, count)
        })
    }

    /// Creates one topic. See ``createTopics(_:)``.
    public func createTopic(_ name: String, partitions: Int32 = 1, replicationFactor: Int32? = nil, configs: [String: String] = [:]) async throws {
        try await createTopics([KafkaNewTopic(name: name, partitions: partitions, replicationFactor: replicationFactor, configs: configs)])
    }

    /// Deletes topics; throws for the first one the broker refused.
    public func deleteTopics(_ names: [String]) async throws {
        try await request(RD_KAFKA_EVENT_DELETETOPICS_RESULT, start: { rk, options, queue in
            var deletions: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
            defer { for deletion in deletions { rd_kafka_DeleteTopic_destroy(deletion) } }
            rd_kafka_DeleteTopics(rk, &deletions, deletions.count, options, queue)
        }, read: { event in
            var count = 0
            let results = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event), &count)
            try Self.checkTopicResults(results, count)
        })
    }

    /// Grows a topic to `totalCount` partitions (Kafka cannot shrink them).
    public func createPartitions(topic: String, totalCount: Int) async throws {
        try await request(RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT, start: { rk, options, queue in
            var errstr = [CChar](repeating: 0, count: 512)
            guard let partitions = rd_kafka_NewPartitions_new(topic, totalCount, &errstr, errstr.count) else {
                throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: "\(topic): \(String(nulTerminated: errstr))")
            }
            var list: [OpaquePointer?] = [partitions]
            defer { rd_kafka_NewPartitions_destroy(partitions) }
            rd_kafka_CreatePartitions(rk, &list, 1, options, queue)
        }, read: { event in
            var count = 0
            let results = rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(event), &count)
            try Self.checkTopicResults(results, count)
        })
    }

    /// Every configuration entry of a topic, defaults included.
    public func describeTopicConfig(_ topic: String) async throws -> [KafkaConfigEntry] {
        try await request(RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT, start: { rk, options, queue in
            var resources: [OpaquePointer?] = [rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic)]
            defer { rd_kafka_ConfigResource_destroy(resources[0]) }
            rd_kafka_DescribeConfigs(rk, &resources, 1, options, queue)
        }, read: { event in
            var count = 0
            let resources = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(event), &count)
            guard count > 0, let resource = resources?[0] else { throw KafkaError(code: RD_KAFKA_RESP_ERR__BAD_MSG.rawValue, message: "no config resource in answer") }
            try Self.checkResource(resource)
            var entryCount = 0
            let entries = rd_kafka_ConfigResource_configs(resource, &entryCount)
            return (0..<entryCount).compactMap { index in
                guard let entry = entries?[index] else { return nil }
                return KafkaConfigEntry(
                    name: String(cString: rd_kafka_ConfigEntry_name(entry)),
                    value: rd_kafka_ConfigEntry_value(entry).map { String(cString: $0) },
                    isDefault: rd_kafka_ConfigEntry_is_default(entry) != 0,
                    isReadOnly: rd_kafka_ConfigEntry_is_read_only(entry) != 0,
                    isSensitive: rd_kafka_ConfigEntry_is_sensitive(entry) != 0,
                    isTopicOverride: rd_kafka_ConfigEntry_source(entry) == RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG
                )
            }
        })
    }

    /// Sets configuration entries of a topic, keeping its other overrides.
    ///
    /// librdkafka 2.0.2 has only the non-incremental AlterConfigs, which resets every entry
    /// not sent. So this reads the topic's current overrides and sends them together with
    /// `changes`. (Concurrent alterations of the same topic can therefore overwrite each other.)
    public func alterTopicConfig(_ topic: String, set changes: [String: String]) async throws {
        var merged: [String: String] = [:]
        for entry in try await describeTopicConfig(topic) where entry.isTopicOverride && !entry.isReadOnly && !entry.isSensitive {
            merged[entry.name] = entry.value
        }
        merged.merge(changes) { _, new in new }
        try await request(RD_KAFKA_EVENT_ALTERCONFIGS_RESULT, start: { [merged] rk, options, queue in
            let resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic)
            defer { rd_kafka_ConfigResource_destroy(resource) }
            for (name, value) in merged.sorted(by: { $0.key < $1.key }) {
                try KafkaError.check(rd_kafka_ConfigResource_set_config(resource, name, value), "\(topic) \(name)")
            }
            var resources: [OpaquePointer?] = [resource]
            rd_kafka_AlterConfigs(rk, &resources, 1, options, queue)
        }, read: { event in
            var count = 0
            let resources = rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(event), &count)
            for index in 0..<count {
                if let resource = resources?[index] { try Self.checkResource(resource) }
            }
        })
    }

    /// The cluster's brokers and all its topics with their partitions.
    public func metadata() async throws -> KafkaClusterMetadata {
        let client = self.client
        let timeout = timeoutMilliseconds
        return try await offload {
            try client.withHandle { rk in
                var raw: UnsafePointer<rd_kafka_metadata>?
                try KafkaError.check(rd_kafka_metadata(rk, 1, nil, &raw, timeout), "metadata")
                guard let raw else { throw KafkaError(code: RD_KAFKA_RESP_ERR__BAD_MSG.rawValue, message: "no metadata") }
                defer { rd_kafka_metadata_destroy(raw) }
                return KafkaClusterMetadata(copying: raw.pointee)
            }
        }
    }

    /// Releases the client; afterwards every method throws ``KafkaError/shutdown``.
    public func shutdown() async {
        let client = self.client
        _ = try? await offload { client.close { _ in } }
    }
}

extension KafkaAdmin {
    /// Starts an admin request on a private queue and waits (off the concurrency pool) for
    /// its result event of `type`.
    private func request<Result: Sendable>(
        _ type: Int32,
        start: @escaping @Sendable (_ rk: OpaquePointer, _ options: OpaquePointer, _ queue: OpaquePointer) throws -> Void,
        read: @escaping @Sendable (_ event: OpaquePointer) throws -> Result
    ) async throws -> Result {
        let client = self.client
        let timeout = timeoutMilliseconds
        return try await offload {
            try client.withHandle { rk in
                guard let queue = rd_kafka_queue_new(rk), let options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_ANY) else {
                    throw KafkaError(code: RD_KAFKA_RESP_ERR__FAIL.rawValue, message: "cannot allocate an admin request")
                }
                defer {
                    rd_kafka_AdminOptions_destroy(options)
                    rd_kafka_queue_destroy(queue)
                }
                var errstr = [CChar](repeating: 0, count: 512)
                _ = rd_kafka_AdminOptions_set_request_timeout(options, timeout, &errstr, errstr.count)
                // Create/delete calls then wait until the controller finished, not just accepted.
                _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeout, &errstr, errstr.count)
                try start(rk, options, queue)
                // librdkafka enforces the request timeout itself; the margin only guards against a lost event.
                guard let event = rd_kafka_queue_poll(queue, timeout + 5000) else { throw KafkaError.timedOut }
                defer { rd_kafka_event_destroy(event) }
                let err = rd_kafka_event_error(event)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw KafkaError(code: err.rawValue, message: rd_kafka_event_error_string(event).map { String(cString: $0) })
                }
                guard rd_kafka_event_type(event) == type else {
                    throw KafkaError(code: RD_KAFKA_RESP_ERR__BAD_MSG.rawValue, message: "unexpected admin result event \(rd_kafka_event_type(event))")
                }
                return try read(event)
            }
        }
    }

    static func checkTopicResults(_ results: UnsafeMutablePointer<OpaquePointer?>?, _ count: Int) throws {
        for index in 0..<count {
            guard let result = results?[index] else { continue }
            let err = rd_kafka_topic_result_error(result)
            guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            let name = String(cString: rd_kafka_topic_result_name(result))
            let reason = rd_kafka_topic_result_error_string(result).map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(err))
            throw KafkaError(code: err.rawValue, message: "\(name): \(reason)")
        }
    }

    static func checkResource(_ resource: OpaquePointer) throws {
        let err = rd_kafka_ConfigResource_error(resource)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        let name = String(cString: rd_kafka_ConfigResource_name(resource))
        let reason = rd_kafka_ConfigResource_error_string(resource).map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(err))
        throw KafkaError(code: err.rawValue, message: "\(name): \(reason)")
    }
}

extension KafkaClusterMetadata {
    init(copying raw: rd_kafka_metadata) {
        let brokers = UnsafeBufferPointer(start: raw.brokers, count: Int(raw.broker_cnt)).map {
            Broker(id: $0.id, host: String(cString: $0.host), port: $0.port)
        }
        let topics = UnsafeBufferPointer(start: raw.topics, count: Int(raw.topic_cnt)).map { topic in
            Topic(
                name: String(cString: topic.topic),
                partitions: UnsafeBufferPointer(start: topic.partitions, count: Int(topic.partition_cnt)).map { partition in
                    Partition(
                        id: partition.id,
                        leader: partition.leader,
                        replicas: Array(UnsafeBufferPointer(start: partition.replicas, count: Int(partition.replica_cnt))),
                        inSyncReplicas: Array(UnsafeBufferPointer(start: partition.isrs, count: Int(partition.isr_cnt))),
                        error: KafkaError(partition.err)
                    )
                },
                error: KafkaError(topic.err)
            )
        }
        self.init(brokers: brokers, topics: topics, originatingBrokerID: raw.orig_broker_id)
    }
}
