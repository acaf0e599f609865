import ArgumentParser
import Kafka
import Logging
import TopicPolicy

/// The I/O half of `eventctl topics plan|apply`: reads a ``ClusterState`` through
/// the `Kafka` admin client, hands it to the pure ``TopicPlanner``, and carries out
/// a plan's actions.
struct TopicsReconciler: Sendable {
    let admin: KafkaAdmin

    /// Connects to the cluster, runs `body`, and shuts the client down. Errors
    /// other than exit codes are printed as `eventctl: message` and exit 1.
    static func withReconciler<Result: Sendable>(
        _ options: TopicsClusterOptions, _ body: (TopicsReconciler) async throws -> Result
    ) async throws -> Result {
        var configuration = KafkaAdminConfiguration(bootstrapServers: options.bootstrapServers)
        configuration.clientID = "eventctl-topics"
        configuration.requestTimeout = .seconds(options.timeout)
        // stdout carries the plan that CI parses, so client logs go to stderr, warnings only.
        var logger = Logger(label: "eventctl.topics") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = .warning
        let admin: KafkaAdmin
        do {
            admin = try KafkaAdmin(configuration: configuration, logger: logger)
        } catch {
            TopicsConsole.error("eventctl: cannot create a Kafka admin client: \(message(error))")
            throw ExitCode.failure
        }
        do {
            let result = try await body(TopicsReconciler(admin: admin))
            await admin.shutdown()
            return result
        } catch let exit as ExitCode {
            await admin.shutdown()
            throw exit
        } catch {
            await admin.shutdown()
            TopicsConsole.error("eventctl: \(message(error))")
            throw ExitCode.failure
        }
    }

    /// Plans the changes that make the cluster match `file`.
    func plan(_ file: TopicsFile, allowDelete: Bool) async throws -> TopicPlan {
        TopicPlanner.plan(file: file, cluster: try await readCluster(), allowDelete: allowDelete)
    }

    /// Plans again after an apply, retrying briefly while the plan still shows changes:
    /// on a multi-broker cluster, metadata can lag behind a controller that already
    /// made the change.
    func replanUntilSettled(_ file: TopicsFile, allowDelete: Bool) async throws -> TopicPlan {
        var plan = try await self.plan(file, allowDelete: allowDelete)
        for _ in 0..<5 where plan.outcome == .changesPending {
            try await Task.sleep(for: .seconds(1))
            plan = try await self.plan(file, allowDelete: allowDelete)
        }
        return plan
    }

    /// Reads every topic's partitions, replication factor and configs.
    func readCluster() async throws -> ClusterState {
        let metadata = try await admin.metadata()
        var topics: [ClusterTopicState] = []
        var supportsPolicy = false
        for topic in metadata.topics.sorted(by: { $0.name < $1.name }) {
            if let error = topic.error {
                throw TopicsReconcilerError("metadata of topic '\(topic.name)': \(error.message) (\(error.name))")
            }
            var state = ClusterTopicState(
                name: topic.name, partitions: topic.partitions.count,
                replicationFactor: topic.partitions.first?.replicas.count ?? 0)
            // Internal topics are never planned, so their configs are not read.
            if !ClusterState.isInternal(topic.name) {
                let entries = try await describeConfigs(topic.name)
                supportsPolicy = supportsPolicy || entries.contains { $0.name == PolicyConfigKey.immutable }
                for entry in entries {
                    guard let value = entry.value else { continue }
                    state.configs[entry.name] = value
                    if entry.isTopicOverride { state.overriddenConfigs.insert(entry.name) }
                }
            }
            topics.append(state)
        }
        if !topics.contains(where: { !ClusterState.isInternal($0.name) }),
           let probe = topics.first(where: { ClusterState.isInternal($0.name) }) {
            // No ordinary topic to tell eventd from stock Kafka by; an internal one
            // (eventd always has __audit) reports the policy configs just as well.
            supportsPolicy = try await describeConfigs(probe.name).contains { $0.name == PolicyConfigKey.immutable }
        }
        return ClusterState(topics: topics, brokerCount: metadata.brokers.count, supportsPolicyConfigs: supportsPolicy)
    }

    private func describeConfigs(_ topic: String) async throws -> [KafkaConfigEntry] {
        do {
            return try await admin.describeTopicConfig(topic)
        } catch {
            throw TopicsReconcilerError("describing the configs of '\(topic)': \(Self.message(error))")
        }
    }

    /// Carries out one action; throws the broker's error.
    func apply(_ action: TopicAction) async throws {
        switch action {
        case .create(let topic, let partitions, let replicationFactor, let configs):
            try await admin.createTopic(
                topic, partitions: Int32(partitions), replicationFactor: Int32(replicationFactor), configs: configs)
        case .alterConfigs(let topic, let changes):
            let values = Dictionary(uniqueKeysWithValues: changes.map { ($0.name, $0.newValue) })
            try await admin.alterTopicConfig(topic, set: values)
        case .addPartitions(let topic, _, let to):
            try await admin.createPartitions(topic: topic, totalCount: to)
        case .deleteUndeclared(let topic):
            try await admin.deleteTopics([topic])
        }
    }

    /// One line naming an action, for apply's progress output.
    static func describe(_ action: TopicAction) -> String {
        switch action {
        case .create(let topic, let partitions, let replicationFactor, _):
            "create \(topic) (\(partitions) partitions, replication factor \(replicationFactor))"
        case .alterConfigs(let topic, let changes):
            "set \(changes.map { "\($0.name)=\($0.newValue)" }.joined(separator: ", ")) on \(topic)"
        case .addPartitions(let topic, let from, let to):
            "grow \(topic) from \(from) to \(to) partitions"
        case .deleteUndeclared(let topic):
            "delete \(topic)"
        }
    }

    /// The operator-facing text of an error: the broker's message and Kafka error name.
    static func message(_ error: any Error) -> String {
        if let kafka = error as? KafkaError { return "\(kafka.message) (\(kafka.name))" }
        return "\(error)"
    }
}
