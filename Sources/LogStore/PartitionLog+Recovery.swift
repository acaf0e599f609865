import Foundation
import KafkaProtocol
import Logging

extension PartitionLog {
    /// Opens the log in `directory`, creating the directory and an empty first segment when new.
    ///
    /// - Parameters:
    ///   - config: written to `log-config.json` when given (a new log); nil reads that file
    ///     (defaults when it is missing).
    ///   - cleanShutdown: the previous process closed the log cleanly, so only the batches after
    ///     the last index entry of the last segment are validated; otherwise the whole last segment is.
    static func open(
        directory: String, topicPartition: TopicPartition, config: LogConfig?, cleanShutdown: Bool, logger: Logger
    ) throws -> PartitionLog {
        var logger = logger
        logger[metadataKey: "partition"] = "\(topicPartition)"
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)

        let configPath = directory + "/" + LogFileNames.config
        let effectiveConfig: LogConfig
        if let config {
            try config.validate()
            try DurableFile.writeJSON(config, to: configPath)
            effectiveConfig = config
        } else {
            effectiveConfig = try DurableFile.readJSON(LogConfig.self, from: configPath) ?? LogConfig()
        }

        for name in try fileManager.contentsOfDirectory(atPath: directory) where name.hasSuffix(".tmp") {
            try? fileManager.removeItem(atPath: directory + "/" + name)
        }
        // A crash during compaction may have left a segment half swapped: finish or undo that
        // before the segments are listed.
        try LogSegment.recoverInterruptedSwaps(directory: directory, logger: logger)
        let names = try fileManager.contentsOfDirectory(atPath: directory)
        let baseOffsets = names.compactMap(LogFileNames.baseOffset(ofLogFile:)).sorted()

        var segments: [LogSegment] = []
        for (i, baseOffset) in baseOffsets.enumerated() {
            let isLast = i == baseOffsets.count - 1
            let mode: LogSegment.OpenMode =
                !isLast ? .sealed : cleanShutdown ? .activeAfterCleanShutdown : .activeAfterCrash
            segments.append(try LogSegment.open(
                directory: directory, baseOffset: baseOffset, indexInterval: effectiveConfig.indexIntervalBytes,
                mode: mode, logger: logger))
        }
        for i in segments.indices.dropLast() { segments[i].nextOffset = segments[i + 1].baseOffset }

        let checkpoint = try readLogStartOffsetCheckpoint(directory: directory)
        if segments.isEmpty {
            segments.append(try LogSegment.create(directory: directory, baseOffset: checkpoint ?? 0))
            try PosixFile.syncDirectory(directory)
        } else {
            // After a crash the recovered tail may only be in the page cache; make it durable before
            // claiming it flushed.
            try segments[segments.count - 1].log.sync()
        }
        let logEnd = segments[segments.count - 1].nextOffset
        let logStart = min(max(checkpoint ?? 0, segments[0].baseOffset), logEnd)

        let producerState = try recoverProducerState(directory: directory, segments: segments, logEnd: logEnd, logger: logger)
        let log = PartitionLog(
            topicPartition: topicPartition, directory: directory, config: effectiveConfig, segments: segments,
            logStartOffset: logStart, producerState: producerState, logger: logger)
        log.lock.withLock { log.deleteSegmentsBelowLogStart() }
        logger.debug("opened log: start \(logStart), end \(logEnd), \(segments.count) segment(s)")
        return log
    }

    private static func readLogStartOffsetCheckpoint(directory: String) throws -> Int64? {
        let path = directory + "/" + LogFileNames.logStartOffsetCheckpoint
        guard let data = DurableFile.read(path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int64(text), value >= 0 else {
            throw LogStoreError.corruptFile(path: path, reason: "not an offset: '\(text)'")
        }
        return value
    }

    /// Loads the producer snapshot (when it is not ahead of the log) and replays the batch headers
    /// after it; without a usable snapshot, replays every batch header of the log.
    private static func recoverProducerState(
        directory: String, segments: [LogSegment], logEnd: Int64, logger: Logger
    ) throws -> ProducerStateManager {
        let path = directory + "/" + LogFileNames.producerSnapshot
        var state = ProducerStateManager()
        var replayFrom = segments[0].baseOffset
        do {
            if let snapshot = try DurableFile.readJSON(ProducerStateSnapshot.self, from: path), snapshot.offset <= logEnd {
                state = ProducerStateManager(snapshot: snapshot)
                replayFrom = snapshot.offset
            }
        } catch {
            logger.warning("ignoring unreadable producer snapshot: \(error)")
        }
        for segment in segments where segment.nextOffset > replayFrom {
            var scanner = BatchScanner(file: segment.log, from: segment.startPosition(for: replayFrom), end: segment.size)
            while case let .batch(header, _) = try scanner.next() {
                if header.baseOffset >= replayFrom { state.replay(header) }
            }
        }
        return state
    }
}
