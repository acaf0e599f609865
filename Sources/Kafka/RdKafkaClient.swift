import CRdKafka
import Foundation
import Logging

/// Owns one `rd_kafka_t` handle and makes it safe to share between tasks.
///
/// librdkafka's handle is thread-safe for the calls this module makes; what is not safe is
/// using it while or after it is destroyed. Every use therefore goes through
/// ``withHandle(_:)``, which counts users, and ``close(_:)`` first refuses new users, waits
/// for the current ones, and only then destroys the handle. Misuse after shutdown throws
/// ``KafkaError/shutdown``; it can never touch freed memory.
final class RdKafkaClient: @unchecked Sendable {
    private let handle: OpaquePointer
    private let callbacks: Unmanaged<RdKafkaCallbacks>
    private let condition = NSCondition()
    private var users = 0
    private var isClosed = false
    let logger: Logger

    init(type: rd_kafka_type_t, properties: [String: String], callbacks: RdKafkaCallbacks) throws {
        logger = callbacks.logger
        let conf = rd_kafka_conf_new()
        var errstr = [CChar](repeating: 0, count: 512)
        // Sorted so that the first invalid property reported is deterministic.
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: "\(key)=\(value): \(String(nulTerminated: errstr))")
            }
        }
        let retained = Unmanaged.passRetained(callbacks)
        rd_kafka_conf_set_opaque(conf, retained.toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, message in
            RdKafkaCallbacks.from(rk)?.log(level: level, facility: facility, message: message)
        }
        rd_kafka_conf_set_error_cb(conf) { rk, err, reason, _ in
            let reason = reason.map { String(cString: $0) } ?? ""
            RdKafkaCallbacks.from(rk)?.logger.warning("librdkafka error", metadata: [
                "error": "\(String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: err))))", "reason": "\(reason)",
            ])
        }
        if callbacks.delivery != nil {
            rd_kafka_conf_set_dr_msg_cb(conf) { rk, message, _ in
                guard let message else { return }
                RdKafkaCallbacks.from(rk)?.delivery?(message)
            }
        }
        if callbacks.rebalance != nil {
            rd_kafka_conf_set_rebalance_cb(conf) { rk, err, partitions, _ in
                guard let rk, let partitions else { return }
                RdKafkaCallbacks.from(rk)?.rebalance?(rk, err, partitions)
            }
        }
        guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            // On failure the configuration still belongs to us.
            rd_kafka_conf_destroy(conf)
            retained.release()
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: String(nulTerminated: errstr))
        }
        handle = rk
        self.callbacks = retained
    }

    deinit {
        close { _ in }
    }

    /// Runs `body` with the handle, or throws ``KafkaError/shutdown`` once ``close(_:)`` began.
    func withHandle<Result>(_ body: (OpaquePointer) throws -> Result) throws -> Result {
        condition.lock()
        guard !isClosed else {
            condition.unlock()
            throw KafkaError.shutdown
        }
        users += 1
        condition.unlock()
        defer {
            condition.lock()
            users -= 1
            if users == 0 { condition.broadcast() }
            condition.unlock()
        }
        return try body(handle)
    }

    /// The handle for a ``PollingThread``, which is always stopped inside ``close(_:)``'s
    /// `finalize` before the handle is destroyed, so it needs no user count.
    var pollingHandle: OpaquePointer { handle }

    var isShutDown: Bool {
        condition.lock()
        defer { condition.unlock() }
        return isClosed
    }

    /// Refuses new users, waits for current ones, runs `finalize` with exclusive use of the
    /// handle (stop polling threads, purge, close the consumer), then destroys it.
    /// Later calls do nothing.
    func close(_ finalize: (OpaquePointer) -> Void) {
        condition.lock()
        guard !isClosed else {
            condition.unlock()
            return
        }
        isClosed = true
        while users > 0 { condition.wait() }
        condition.unlock()
        finalize(handle)
        rd_kafka_destroy(handle)
        // Log callbacks may run until rd_kafka_destroy returned; only now can the target go.
        callbacks.release()
    }
}

extension RdKafkaCallbacks {
    /// Maps syslog levels (librdkafka's) to swift-log levels.
    func log(level: Int32, facility: UnsafePointer<CChar>?, message: UnsafePointer<CChar>?) {
        let logLevel: Logger.Level = switch level {
        case ...3: .error
        case 4: .warning
        case 5, 6: .info
        default: .debug
        }
        logger.log(level: logLevel, "\(message.map { String(cString: $0) } ?? "")", metadata: [
            "facility": "\(facility.map { String(cString: $0) } ?? "")",
        ])
    }
}
