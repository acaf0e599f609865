import CRdKafka

/// The one error type of the `Kafka` module.
///
/// It carries the Kafka (or librdkafka-internal) error code, its symbolic name, a human
/// readable message, and librdkafka's classification: whether retrying the same
/// operation may succeed, and whether the client is unusable from now on.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The numeric `rd_kafka_resp_err_t` code. Broker error codes are positive
    /// (for example 3, UNKNOWN_TOPIC_OR_PARTITION); librdkafka-internal ones are negative.
    public let code: Int32
    /// The symbolic name of ``code`` without the `RD_KAFKA_RESP_ERR_` prefix, for example
    /// `UNKNOWN_TOPIC_OR_PARTITION` or `_QUEUE_FULL`.
    public let name: String
    /// What went wrong, in words.
    public let message: String
    /// Whether retrying the same operation may succeed.
    public let isRetriable: Bool
    /// Whether the client hit an unrecoverable error and must be shut down.
    public let isFatal: Bool

    public init(code: Int32, message: String? = nil, isRetriable: Bool? = nil, isFatal: Bool = false) {
        let err = rd_kafka_resp_err_t(rawValue: code)
        self.code = code
        self.name = String(cString: rd_kafka_err2name(err))
        self.message = message ?? String(cString: rd_kafka_err2str(err))
        self.isRetriable = isRetriable ?? Self.retriableCodes.contains(code)
        self.isFatal = isFatal || code == RD_KAFKA_RESP_ERR__FATAL.rawValue
    }

    public var description: String {
        "KafkaError(\(name) [\(code)]: \(message)\(isRetriable ? ", retriable" : "")\(isFatal ? ", fatal" : ""))"
    }

    /// The client was shut down (or is shutting down), so the operation cannot run.
    public static let shutdown = KafkaError(code: RD_KAFKA_RESP_ERR__DESTROY.rawValue, message: "the client has been shut down")
    /// The producer's local queue is full (``KafkaProducer/enqueue(topic:partition:key:value:headers:timestamp:)`` only; `send` waits instead).
    public static let queueFull = KafkaError(code: RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue)
    /// An operation did not complete in time.
    public static let timedOut = KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue)

    /// Broker and transport errors after which a retry is expected to succeed. librdkafka only
    /// classifies `rd_kafka_error_t` objects; for bare codes we use Kafka's own retriable set.
    private static let retriableCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__QUEUE_FULL,
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__PARTITION_EOF,
        RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
        RD_KAFKA_RESP_ERR_INVALID_MSG, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NOT_COORDINATOR, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_NOT_CONTROLLER,
        RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR, RD_KAFKA_RESP_ERR_FETCH_SESSION_ID_NOT_FOUND,
        RD_KAFKA_RESP_ERR_INVALID_FETCH_SESSION_EPOCH, RD_KAFKA_RESP_ERR_LISTENER_NOT_FOUND,
        RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH, RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH,
        RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT, RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED,
    ].reduce(into: Set<Int32>()) { $0.insert($1.rawValue) }
}

extension KafkaError {
    /// Wraps a bare response code; `nil` for `RD_KAFKA_RESP_ERR_NO_ERROR`.
    init?(_ err: rd_kafka_resp_err_t, message: String? = nil) {
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        self.init(code: err.rawValue, message: message)
    }

    /// Wraps and destroys an `rd_kafka_error_t`, keeping librdkafka's own classification.
    init(consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            code: rd_kafka_error_code(error).rawValue,
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0
        )
    }

    /// Throws when `err` is not `NO_ERROR`.
    static func check(_ err: rd_kafka_resp_err_t, _ what: @autoclosure () -> String? = nil) throws {
        if let error = KafkaError(err, message: what().map { "\($0): \(String(cString: rd_kafka_err2str(err)))" }) { throw error }
    }
}

extension String {
    /// Reads the C string librdkafka wrote into an error buffer.
    init(nulTerminated buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.init(decoding: bytes, as: UTF8.self)
    }
}
