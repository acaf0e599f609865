import KafkaProtocol
import NIOCore
import SchemaRegistryServer
import TopicPolicy

/// Broker-side validation of records on topics that declare a schema.
///
/// Every value (and key, when a key schema is declared) must carry Confluent's framing,
/// name a schema id registered under the topic's subject (TopicNameStrategy:
/// `<topic>-value`, `<topic>-key`), and decode against that schema. One bad record refuses
/// the whole batch. Tombstones (null values) pass on compacted topics.
enum SchemaValidation {
    static let valueConfig = PolicyConfigKey.valueSchemaValidation
    static let keyConfig = PolicyConfigKey.keySchemaValidation

    /// Why the batch is refused, or nil when every record is valid.
    static func problem(topic: String, configs: [String: String], batches: ByteBuffer, store: SchemaStore) -> String? {
        let checkValue = configs[valueConfig] == "true"
        let checkKey = configs[keyConfig] == "true"
        guard checkValue || checkKey else { return nil }
        let compacted = (TopicConfigs.effective(configs, "cleanup.policy") ?? "").contains("compact")
        let valueSubject = "\(topic)-value", keySubject = "\(topic)-key"  // once per batch, not per record
        var problem: String?
        do {
            for batch in try RecordBatch.batches(in: batches, verifyCRC: false) {
                try batch.forEachRecord(maxDecompressedSize: 256 << 20) { record in
                    guard problem == nil else { return }
                    if checkValue {
                        if let value = record.value {
                            problem = check(value, subject: valueSubject, store: store).map { "value of record \(record.offsetDelta): \($0)" }
                        } else if !compacted {
                            problem = "record \(record.offsetDelta) has no value; tombstones are only allowed on compacted topics"
                        }
                    }
                    if checkKey, problem == nil {
                        if let key = record.key {
                            problem = check(key, subject: keySubject, store: store).map { "key of record \(record.offsetDelta): \($0)" }
                        } else {
                            problem = "record \(record.offsetDelta) has no key, but the topic declares a key schema"
                        }
                    }
                }
                if problem != nil { break }
            }
        } catch {
            return "records do not decode: \(error)"
        }
        return problem
    }

    private static func check(_ bytes: ByteBuffer, subject: String, store: SchemaStore) -> String? {
        bytes.withUnsafeReadableBytes { raw -> String? in
            guard let (id, payload) = ConfluentWireFormat.split(raw) else {
                return "not in Confluent wire format (magic byte 0 and a 4-byte schema id)"
            }
            guard let validator = store.validator(forID: id, subject: subject) else {
                return "schema id \(id) is not registered under subject '\(subject)'"
            }
            let errors = validator.validate(payload: payload)
            return errors.isEmpty ? nil : "does not match schema \(id): \(errors.prefix(3).joined(separator: "; "))"
        }
    }
}
