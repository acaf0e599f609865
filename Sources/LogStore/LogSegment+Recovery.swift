import KafkaProtocol
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension LogSegment {
    /// How much of an existing segment to trust when opening it.
    enum OpenMode {
        /// A segment before the last one: it was fsynced when it rolled, so its indexes are trusted
        /// when they are consistent, and rebuilt from batch headers when they are not.
        case sealed
        /// The last segment after a clean shutdown: batches are validated from the last index
        /// entry on (Kafka's rule).
        case activeAfterCleanShutdown
        /// The last segment after a crash: every batch is validated and the indexes are rebuilt.
        case activeAfterCrash
    }

    /// Opens the segment at `baseOffset` in `directory`, recovering it as `mode` says. A torn or
    /// corrupt tail is cut off at the first invalid batch and logged with `logger`.
    static func open(
        directory: String, baseOffset: Int64, indexInterval: Int, mode: OpenMode, logger: Logger
    ) throws -> LogSegment {
        let paths = paths(directory: directory, baseOffset: baseOffset)
        let indexFilesExist = [paths.offsetIndex, paths.timeIndex].allSatisfy {
            $0.withCString { access($0, F_OK) == 0 }
        }
        let log = try PosixFile.open(paths.log, create: false)
        let fileSize = try log.size()
        let (offsetIndex, offsetIndexValid) = try SparseIndex<OffsetIndexEntry>.open(path: paths.offsetIndex) { previous, entry in
            guard Int(entry.position) < fileSize else { return false }
            guard let previous else { return true }
            return entry.relativeOffset > previous.relativeOffset && entry.position > previous.position
        }
        let (timeIndex, timeIndexValid) = try SparseIndex<TimeIndexEntry>.open(path: paths.timeIndex) { previous, entry in
            guard let previous else { return true }
            return entry.timestamp > previous.timestamp && entry.relativeOffset >= previous.relativeOffset
        }
        let segment = LogSegment(
            baseOffset: baseOffset, log: log, offsetIndex: offsetIndex, timeIndex: timeIndex, size: fileSize)
        // A non-empty segment always has a time-index entry once sealed (unless every batch lacks a
        // timestamp), so an empty time index next to data means the file was lost: rebuild.
        let indexesValid = offsetIndexValid && timeIndexValid && indexFilesExist
            && !(fileSize > 0 && timeIndex.entries.isEmpty && mode == .sealed)
        if !indexesValid && fileSize > 0 {
            logger.warning("Rebuilding index of segment \(baseOffset)", metadata: ["directory": "\(directory)"])
        }

        switch mode {
        case .sealed where indexesValid:
            segment.maxTimestamp = timeIndex.last?.timestamp ?? -1
        case .activeAfterCleanShutdown where indexesValid:
            if try !segment.recover(from: offsetIndex.last, checkCRC: true, indexInterval: indexInterval, logger: logger) {
                logger.warning("Index of segment \(baseOffset) disagrees with its log; rebuilding it")
                try segment.recoverAll(checkCRC: true, indexInterval: indexInterval, logger: logger)
            }
        case .sealed:
            try segment.recoverAll(checkCRC: false, indexInterval: indexInterval, logger: logger)
        case .activeAfterCleanShutdown, .activeAfterCrash:
            try segment.recoverAll(checkCRC: true, indexInterval: indexInterval, logger: logger)
        }

        if segment.size > 0 {
            var scanner = BatchScanner(file: log, from: 0, end: segment.size)
            if case let .batch(first, _) = try scanner.next(), first.maxTimestamp >= 0 {
                segment.rollBaseTimestamp = first.maxTimestamp
            }
        }
        return segment
    }

    /// Drops both indexes and validates the whole segment.
    private func recoverAll(checkCRC: Bool, indexInterval: Int, logger: Logger) throws {
        try offsetIndex.truncate(toCount: 0)
        try timeIndex.truncate(toCount: 0)
        size = try log.size()
        _ = try recover(from: nil, checkCRC: checkCRC, indexInterval: indexInterval, logger: logger)
    }

    /// Validates batches from the one `entry` points at (or the start) to the end of the file,
    /// re-adding index entries for them and truncating the file at the first invalid batch.
    ///
    /// Returns false, before touching the log file, when the batch at `entry` does not have the
    /// offset the entry claims: the index is then wrong and the caller rebuilds it.
    private func recover(
        from entry: OffsetIndexEntry?, checkCRC: Bool, indexInterval: Int, logger: Logger
    ) throws -> Bool {
        var expectedOffset = baseOffset
        var start = 0
        if let entry {
            start = Int(entry.position)
            expectedOffset = baseOffset + Int64(entry.relativeOffset)
            // Time entries beyond the last offset entry are re-derived by the scan below.
            let keep = timeIndex.lastIndex { $0.relativeOffset <= entry.relativeOffset }.map { $0 + 1 } ?? 0
            try timeIndex.truncate(toCount: keep)
            maxTimestamp = timeIndex.last?.timestamp ?? -1
        } else {
            try offsetIndex.truncate(toCount: 0)
            try timeIndex.truncate(toCount: 0)
            maxTimestamp = -1
        }
        bytesSinceLastIndexEntry = 0
        nextOffset = expectedOffset
        lastBatchBaseOffset = -1

        let fileSize = try log.size()
        var scanner = BatchScanner(file: log, from: start, end: fileSize)
        var atEntry = entry != nil
        var validEnd = start
        var failure: (position: Int, reason: String)?
        scan: while true {
            switch try scanner.next() {
            case .end:
                break scan
            case let .invalid(position, reason):
                failure = (position, reason)
                break scan
            case let .batch(header, position):
                if atEntry {
                    guard header.baseOffset == expectedOffset else { return false }
                    atEntry = false
                }
                if header.baseOffset < expectedOffset {
                    failure = (position, "base offset \(header.baseOffset) below expected \(expectedOffset)")
                    break scan
                }
                if header.lastOffset - baseOffset > Int64(Int32.max) {
                    failure = (position, "offset \(header.lastOffset) too far from segment base \(baseOffset)")
                    break scan
                }
                if checkCRC, try !scanner.hasValidCRC(header, at: position) {
                    failure = (position, "CRC mismatch")
                    break scan
                }
                didAppendBatch(
                    baseOffset: header.baseOffset, lastOffset: header.lastOffset, maxTimestamp: header.maxTimestamp,
                    position: position, size: header.totalSize, indexInterval: indexInterval)
                expectedOffset = header.lastOffset + 1
                validEnd = position + header.totalSize
            }
        }
        size = validEnd
        if let failure {
            logger.warning(
                "Truncating torn or corrupt tail of segment \(baseOffset) at offset \(expectedOffset) (file position \(failure.position)): \(failure.reason); dropping \(fileSize - failure.position) bytes")
            let keep = offsetIndex.lastIndex { Int($0.position) < validEnd }.map { $0 + 1 } ?? 0
            try offsetIndex.truncate(toCount: keep)
            try log.truncate(to: validEnd)
            try log.sync()
        }
        return true
    }
}
