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
        // Producers put one schema id on a whole batch, so each subject's validator is looked
        // up (a lock and two hash lookups) when the id changes, not for every record.
        var values = ValidatorLookup(subject: "\(topic)-value", store: store)
        var keys = ValidatorLookup(subject: "\(topic)-key", store: store)
        var problem: String?
        do {
            for batch in try RecordBatch.batches(in: batches, verifyCRC: false) {
                try batch.forEachRecordView(maxDecompressedSize: 256 << 20) { record in
                    guard problem == nil else { return }
                    if checkValue {
                        if let value = record.value {
                            problem = values.check(value).map { "value of record \(record.offsetDelta): \($0)" }
                        } else if !compacted {
                            problem = "record \(record.offsetDelta) has no value; tombstones are only allowed on compacted topics"
                        }
                    }
                    if checkKey, problem == nil {
                        if let key = record.key {
                            problem = keys.check(key).map { "key of record \(record.offsetDelta): \($0)" }
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

    /// One subject's validators during one batch: remembers the last schema id's validator.
    private struct ValidatorLookup {
        let subject: String
        let store: SchemaStore
        private var lastID: Int32?
        /// Nil for an unknown id. The validator is opened once per lookup, into a closure:
        /// calling it through a stored existential copied the existential for every record
        /// (through its value witnesses, a retain and a release included).
        private var lastValidate: ((UnsafeRawBufferPointer) -> [String])?

        init(subject: String, store: SchemaStore) {
            self.subject = subject
            self.store = store
        }

        /// `validator`'s method with its concrete type bound.
        private static func opened(_ validator: some PayloadValidator) -> (UnsafeRawBufferPointer) -> [String] {
            { validator.validate(bytes: $0) }
        }

        /// Why `bytes` (a framed key or value) is refused, or nil when valid.
        mutating func check(_ bytes: UnsafeRawBufferPointer) -> String? {
            guard let (id, payload) = ConfluentWireFormat.split(bytes) else {
                return "not in Confluent wire format (magic byte 0 and a 4-byte schema id)"
            }
            if id != lastID {
                lastID = id
                lastValidate = store.validator(forID: id, subject: subject).map { Self.opened($0) }
            }
            // Called in place: copying the closure out first cost a retain and a release per record.
            guard let errors = lastValidate?(UnsafeRawBufferPointer(rebasing: payload)) else {
                return "schema id \(id) is not registered under subject '\(subject)'"
            }
            return errors.isEmpty ? nil : "does not match schema \(id): \(errors.prefix(3).joined(separator: "; "))"
        }
    }
}
