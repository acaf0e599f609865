import KafkaProtocol
import NIOConcurrencyHelpers

/// Counters the broker exposes at `GET /metrics` in Prometheus' text format.
final class BrokerMetrics: Sendable {
    private struct Counters {
        var requests: [ApiKey: Int] = [:]
        var producedBytes = 0
        var producedBatches = 0
        var rejectedBatches: [String: Int] = [:]
        var fetchedBytes = 0
        var connectionsOpened = 0
        var connectionsClosed = 0
        var connectionsClosedForBadInput = 0
    }

    private let counters = NIOLockedValueBox(Counters())

    func request(_ key: ApiKey) { counters.withLockedValue { $0.requests[key, default: 0] += 1 } }
    func produced(bytes: Int) {
        counters.withLockedValue {
            $0.producedBytes += bytes
            $0.producedBatches += 1
        }
    }
    func rejected(_ code: KafkaErrorCode) { counters.withLockedValue { $0.rejectedBatches[code.name, default: 0] += 1 } }
    func fetched(bytes: Int) { counters.withLockedValue { $0.fetchedBytes += bytes } }
    func connectionOpened() { counters.withLockedValue { $0.connectionsOpened += 1 } }
    func connectionClosed(badInput: Bool) {
        counters.withLockedValue {
            $0.connectionsClosed += 1
            if badInput { $0.connectionsClosedForBadInput += 1 }
        }
    }

    /// The exposition text; `partitions` adds per-partition gauges read at scrape time.
    func prometheusText(partitions: [(topic: String, partition: Int32, logStart: Int64, logEnd: Int64, bytes: Int)]) -> String {
        let c = counters.withLockedValue { $0 }
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        metric("compliancelog_requests_total", "counter", "Kafka requests received, by API.",
               c.requests.sorted { $0.key.rawValue < $1.key.rawValue }.map { ("{api=\"\($0.key.name)\"}", "\($0.value)") })
        metric("compliancelog_produced_bytes_total", "counter", "Record batch bytes appended.", [("", "\(c.producedBytes)")])
        metric("compliancelog_produced_batches_total", "counter", "Record batches appended.", [("", "\(c.producedBatches)")])
        metric("compliancelog_rejected_batches_total", "counter", "Record batches refused, by Kafka error.",
               c.rejectedBatches.sorted { $0.key < $1.key }.map { ("{error=\"\($0.key)\"}", "\($0.value)") })
        metric("compliancelog_fetched_bytes_total", "counter", "Record bytes served to fetches.", [("", "\(c.fetchedBytes)")])
        metric("compliancelog_connections_active", "gauge", "Open client connections.",
               [("", "\(c.connectionsOpened - c.connectionsClosed)")])
        metric("compliancelog_connections_closed_bad_input_total", "counter", "Connections closed for sending something that is not a Kafka request.",
               [("", "\(c.connectionsClosedForBadInput)")])
        metric("compliancelog_log_end_offset", "gauge", "Next offset of each partition.",
               partitions.map { ("{topic=\"\($0.topic)\",partition=\"\($0.partition)\"}", "\($0.logEnd)") })
        metric("compliancelog_log_start_offset", "gauge", "First readable offset of each partition.",
               partitions.map { ("{topic=\"\($0.topic)\",partition=\"\($0.partition)\"}", "\($0.logStart)") })
        metric("compliancelog_log_size_bytes", "gauge", "Bytes on disk of each partition.",
               partitions.map { ("{topic=\"\($0.topic)\",partition=\"\($0.partition)\"}", "\($0.bytes)") })
        return out
    }
}
