import Foundation
import Logging
import NIOConcurrencyHelpers

/// Owns the data directory and every partition log in it.
///
/// Layout: one directory per partition, `<topic>-<partition>` (Kafka's), holding the segments,
/// `log-config.json`, `log-start-offset.checkpoint` and `producer-state.snapshot`; plus
/// `.clean-shutdown` in the data directory after ``close()``.
///
/// On init the manager recovers every partition directory it finds. The clean-shutdown marker is
/// removed right after startup, so that a crash later in this run is recognised as one next time.
public final class LogManager: Sendable {
    /// The data directory.
    public let dataDirectory: String
    private let logger: Logger
    private let state: NIOLockedValueBox<State>

    private struct State {
        var logs: [TopicPartition: PartitionLog] = [:]
        var isClosed = false
    }

    /// Opens (creating it when missing) `dataDirectory` and recovers every partition log in it.
    ///
    /// Directories that are not `<legal topic>-<partition>` are ignored; leftovers of interrupted
    /// deletions (`*.deleted`) are removed.
    public init(dataDirectory: String, logger: Logger = Logger(label: "LogStore")) throws {
        self.dataDirectory = dataDirectory
        self.logger = logger
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)

        let markerPath = dataDirectory + "/" + LogFileNames.cleanShutdownMarker
        let cleanShutdown = fileManager.fileExists(atPath: markerPath)
        var logs: [TopicPartition: PartitionLog] = [:]
        for name in try fileManager.contentsOfDirectory(atPath: dataDirectory).sorted() {
            let path = dataDirectory + "/" + name
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            if name.hasSuffix(LogFileNames.deletedDirectorySuffix) {
                try? fileManager.removeItem(atPath: path)
                continue
            }
            guard let topicPartition = TopicPartition(directoryName: name) else {
                logger.warning("ignoring directory that is not <topic>-<partition>: \(name)")
                continue
            }
            logs[topicPartition] = try PartitionLog.open(
                directory: path, topicPartition: topicPartition, config: nil, cleanShutdown: cleanShutdown, logger: logger)
        }
        if cleanShutdown {
            try fileManager.removeItem(atPath: markerPath)
            try PosixFile.syncDirectory(dataDirectory)
        }
        state = NIOLockedValueBox(State(logs: logs))
        logger.info("log manager opened \(dataDirectory): \(logs.count) partition(s), clean shutdown: \(cleanShutdown)")
    }

    /// The log of `topic`/`partition`, creating it with `config` when it does not exist yet.
    /// Idempotent: an existing log is returned unchanged (its config is not replaced; use
    /// ``PartitionLog/updateConfig(_:)`` for that).
    ///
    /// - Throws: ``LogStoreError/invalidTopicName(_:)`` unless the name is Kafka-legal,
    ///   ``LogStoreError/invalidPartition(_:)`` for a negative partition, or I/O errors.
    @discardableResult
    public func createLog(topic: String, partition: Int32, config: LogConfig = LogConfig()) throws -> PartitionLog {
        guard TopicPartition.isLegalTopicName(topic) else { throw LogStoreError.invalidTopicName(topic) }
        guard partition >= 0 else { throw LogStoreError.invalidPartition(partition) }
        try config.validate()
        let topicPartition = TopicPartition(topic: topic, partition: partition)
        return try state.withLockedValue { state in
            guard !state.isClosed else { throw LogStoreError.closed }
            if let existing = state.logs[topicPartition] { return existing }
            let log = try PartitionLog.open(
                directory: dataDirectory + "/" + topicPartition.directoryName, topicPartition: topicPartition,
                config: config, cleanShutdown: true, logger: logger)
            try PosixFile.syncDirectory(dataDirectory)
            state.logs[topicPartition] = log
            return log
        }
    }

    /// The log of `topic`/`partition`, or nil when it does not exist.
    public func log(topic: String, partition: Int32) -> PartitionLog? {
        state.withLockedValue { $0.logs[TopicPartition(topic: topic, partition: partition)] }
    }

    /// Every log, ordered by topic and partition.
    public var allLogs: [PartitionLog] {
        state.withLockedValue { state in state.logs.keys.sorted().map { state.logs[$0]! } }
    }

    /// Topic names and their partition counts (highest partition + 1).
    public var topics: [String: Int32] {
        state.withLockedValue { state in
            state.logs.keys.reduce(into: [:]) { counts, tp in counts[tp.topic] = max(counts[tp.topic] ?? 0, tp.partition + 1) }
        }
    }

    /// Deletes a partition log and its directory. Returns false when it did not exist.
    ///
    /// The directory is first renamed to `<name>.deleted` (one atomic step), then removed, so a crash
    /// midway never brings back half a partition.
    @discardableResult
    public func deleteLog(topic: String, partition: Int32) throws -> Bool {
        let topicPartition = TopicPartition(topic: topic, partition: partition)
        guard let log = state.withLockedValue({ $0.logs.removeValue(forKey: topicPartition) }) else { return false }
        try? log.close()
        let doomed = log.directory + LogFileNames.deletedDirectorySuffix
        guard rename(log.directory, doomed) == 0 else {
            throw LogStoreError.io(operation: "rename", path: log.directory, errno: errno)
        }
        try PosixFile.syncDirectory(dataDirectory)
        try FileManager.default.removeItem(atPath: doomed)
        logger.info("deleted log \(topicPartition)")
        return true
    }

    /// Deletes every partition of `topic`. Returns how many were deleted.
    @discardableResult
    public func deleteTopic(_ topic: String) throws -> Int {
        let partitions = state.withLockedValue { $0.logs.keys.filter { $0.topic == topic } }
        var deleted = 0
        for tp in partitions where try deleteLog(topic: tp.topic, partition: tp.partition) { deleted += 1 }
        return deleted
    }

    /// fsyncs every log. Errors are collected so one failing log does not stop the others; the
    /// first one is rethrown.
    public func flushAll() throws {
        var firstError: Error?
        for log in allLogs {
            do { try log.flush() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }

    /// Closes every log (fsync, producer snapshots) and writes the clean-shutdown marker, so the
    /// next start validates only the tails past the last index entries. The marker is not written
    /// when a log failed to close. Idempotent.
    public func close() throws {
        let logs: [PartitionLog]? = state.withLockedValue { state in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            return Array(state.logs.values)
        }
        guard let logs else { return }
        var firstError: Error?
        for log in logs {
            do { try log.close() } catch {
                logger.error("closing \(log.topicPartition) failed: \(error)")
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        try DurableFile.write(Data(), to: dataDirectory + "/" + LogFileNames.cleanShutdownMarker)
        logger.info("log manager closed cleanly")
    }
}
