import Foundation
import Logging

/// A swift-log handler for one partition's ``Kafka/KafkaConsumer`` that turns librdkafka's
/// "reached the end of the partition" event into a callback.
///
/// Why a log handler: the Kafka module has no watermark query yet, and without
/// `enable.partition.eof` a consumer cannot tell "caught up" from "the broker is slow". With
/// that property set, librdkafka reports `_PARTITION_EOF` as a consumer error, which the
/// Kafka module logs (as a warning with the error in the `error` metadata) rather than
/// ending the sequence. One consumer per partition means the event names its partition.
/// Commands fall back to an idle timeout should this ever stop arriving.
/// Other events at error level or above are printed to stderr; the rest are dropped so
/// that command output stays clean.
struct AuditEndOfPartitionLogHandler: LogHandler {
    let onEndOfPartition: @Sendable () -> Void

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if let error = event.metadata?["error"], "\(error)".contains("_PARTITION_EOF") {
            onEndOfPartition()
        } else if event.level >= .error {
            FileHandle.standardError.write(Data("eventctl: kafka: \(event.message) \(event.metadata ?? [:])\n".utf8))
        }
    }
}
