import CRdKafka
import Foundation

extension KafkaProducer {
    /// librdkafka's "no partition chosen" (RD_KAFKA_PARTITION_UA): the partitioner decides.
    static let unassignedPartition: Int32 = -1
    /// RD_KAFKA_MSG_F_COPY: librdkafka copies key and value, so ours need not outlive the call.
    static let copyFlag: Int32 = 0x2

    /// Hands one message to librdkafka, tagged with `id` for its delivery report.
    /// - Returns: `nil` when librdkafka took the message (a report will follow), otherwise why not.
    func produce(
        id: UInt64,
        topic: String,
        partition: Int32?,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [KafkaHeader],
        timestamp: Date?
    ) -> KafkaError? {
        do {
            return try client.withHandle { rk -> KafkaError? in
                let headerList = Self.makeHeaders(headers)
                let error: OpaquePointer? = topic.withCString { topicName in
                    withBytes(key) { keyPointer, keyCount in
                        withBytes(value) { valuePointer, valueCount in
                            var fields = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 7)
                            fields[0].vtype = RD_KAFKA_VTYPE_TOPIC
                            fields[0].u.cstr = topicName
                            fields[1].vtype = RD_KAFKA_VTYPE_PARTITION
                            fields[1].u.i32 = partition ?? Self.unassignedPartition
                            fields[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS
                            fields[2].u.i = Self.copyFlag
                            fields[3].vtype = RD_KAFKA_VTYPE_KEY
                            fields[3].u.mem.ptr = keyPointer
                            fields[3].u.mem.size = keyCount
                            fields[4].vtype = RD_KAFKA_VTYPE_VALUE
                            fields[4].u.mem.ptr = valuePointer
                            fields[4].u.mem.size = valueCount
                            fields[5].vtype = RD_KAFKA_VTYPE_OPAQUE
                            fields[5].u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(id))
                            fields[6].vtype = RD_KAFKA_VTYPE_TIMESTAMP
                            fields[6].u.i64 = timestamp.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } ?? 0
                            if let headerList {
                                var headerField = rd_kafka_vu_t()
                                headerField.vtype = RD_KAFKA_VTYPE_HEADERS
                                headerField.u.headers = headerList
                                fields.append(headerField)
                            }
                            return rd_kafka_produceva(rk, fields, fields.count)
                        }
                    }
                }
                guard let error else { return nil }  // librdkafka now owns the headers
                if let headerList { rd_kafka_headers_destroy(headerList) }
                return KafkaError(consuming: error)
            }
        } catch {
            return error as? KafkaError ?? .shutdown
        }
    }

    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer? {
        guard !headers.isEmpty, let list = rd_kafka_headers_new(headers.count) else { return nil }
        for header in headers {
            withBytes(header.value) { pointer, count in
                _ = rd_kafka_header_add(list, header.key, -1, pointer, count)
            }
        }
        return list
    }
}

/// A byte librdkafka can point at for empty, non-null keys and values: it tells Kafka's
/// empty value (pointer, length 0) from null (no pointer), and is never read.
nonisolated(unsafe) private let emptyBytes = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

/// Calls `body` with a pointer and count for `bytes`: no pointer for `nil` (Kafka null),
/// a valid pointer for an empty array (Kafka empty).
func withBytes<Result>(_ bytes: [UInt8]?, _ body: (UnsafeMutableRawPointer?, Int) throws -> Result) rethrows -> Result {
    guard let bytes else { return try body(nil, 0) }
    if bytes.isEmpty { return try body(emptyBytes, 0) }
    return try bytes.withUnsafeBytes { try body(UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count) }
}

extension KafkaProducer {
    /// Messages librdkafka holds right now (queued, in flight, or awaiting their report);
    /// 0 after shutdown. For tests and metrics.
    var queuedInLibrdkafka: Int {
        (try? client.withHandle { Int(rd_kafka_outq_len($0)) }) ?? 0
    }
}
