import Foundation
import KafkaProtocol
import LogStore
import SchemaRegistry
import SchemaRegistryServer
import TopicPolicy

extension BrokerCore {
    static func openSchemasLog(topics: TopicStore, logs: LogManager, flusher: LogFlusher) throws -> SchemasTopicLog {
        if topics[SchemasTopicLog.topic] == nil {
            let metadata = TopicMetadata(
                name: SchemasTopicLog.topic, topicID: KafkaUUID.random().description, partitionCount: 1,
                configs: ["cleanup.policy": "compact"], isInternal: true)
            try logs.createLog(topic: SchemasTopicLog.topic, partition: 0, config: try TopicConfigs.logConfig(metadata.configs))
            try topics.put(metadata)
        }
        guard let log = logs.log(topic: SchemasTopicLog.topic, partition: 0) else {
            throw TopicAdminError(.kafkaStorageError, "the \(SchemasTopicLog.topic) log is missing")
        }
        return SchemasTopicLog(log: log, flusher: flusher)
    }

    /// Replays `_schemas`, then registers the schemas topics.yaml declares (a no-op when the
    /// same schema is already the subject's latest) with their compatibility levels.
    func prepareRegistry() async throws {
        let entries = try schemasLog.readAll()
        let restored = await schemaStore.restore(from: entries)
        logger.info("schema registry restored", metadata: ["entries": "\(entries.count)", "applied": "\(restored)"])
        guard let path = configuration.topicsFile else { return }
        let file = try TopicsFile.load(path: path)
        let base = file.baseDirectory ?? URL(fileURLWithPath: (path as NSString).deletingLastPathComponent)
        for spec in file.topics {
            guard let schema = spec.schema else { continue }
            let level = schema.compatibility
            var declared = [("\(spec.name)-value", schema.value)]
            if let key = schema.key { declared.append(("\(spec.name)-key", key)) }
            for (subject, relativePath) in declared {
                await registerDeclared(subject: subject, path: base.appendingPathComponent(relativePath).path, level: level)
            }
        }
    }

    private func registerDeclared(subject: String, path: String, level: SchemaRegistry.CompatibilityLevel) async {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let format: SchemaFormat = path.hasSuffix(".avsc") ? .avro : .json
            if await schemaStore.compatibility(subject: subject) != level {
                try await schemaStore.setCompatibility(level, subject: subject)
            }
            let id = try await schemaStore.register(subject: subject, schema: text, format: format)
            if subject == "\(ComplianceTrail.topic)-value" {
                complianceEventsSchemaID.withLockedValue { $0 = id }
            }
            logger.info("declared schema registered", metadata: ["subject": "\(subject)", "id": "\(id)"])
        } catch {
            // The topics file and the registry disagree (e.g. an incompatible edit): serve
            // with what is registered and say so; `eventctl topics plan` shows the drift.
            logger.error("cannot register declared schema", metadata: ["subject": "\(subject)", "file": "\(path)", "error": "\(error)"])
        }
    }
}
