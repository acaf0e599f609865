#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging

/// Replacing a segment with its compacted copy, crash-safely (Kafka's `.cleaned` → `.swap` → `.log`).
///
/// 1. Compaction writes `B.log.cleaned`, `B.index.cleaned`, `B.timeindex.cleaned` and fsyncs them.
/// 2. ``commitSwap(directory:baseOffset:)`` renames them to `.swap`, the indexes first and the
///    `.log` last, then fsyncs the directory. `B.log.swap` existing is the commit point.
/// 3. ``finishSwap(directory:baseOffset:)`` renames each `.swap` over its original, the `.log`
///    last, and fsyncs the directory. A reader holding the old `.log` descriptor keeps reading
///    the old inode.
///
/// After a crash, ``recoverInterruptedSwaps(directory:logger:)`` rolls forward when `B.log.swap`
/// exists (step 3 again: every `.swap` file is complete) and otherwise rolls back (deletes the
/// `.cleaned` and stray `.swap` files; the originals were never touched). Either way each offset
/// is in exactly one segment file: no record lost or duplicated.
extension LogSegment {
    /// Step 2: makes the fsynced `.cleaned` files the committed replacement.
    static func commitSwap(directory: String, baseOffset: Int64) throws {
        let cleaned = paths(directory: directory, baseOffset: baseOffset, stage: LogFileNames.cleanedSuffix)
        let swap = paths(directory: directory, baseOffset: baseOffset, stage: LogFileNames.swapSuffix)
        try renameFile(cleaned.offsetIndex, to: swap.offsetIndex)
        try renameFile(cleaned.timeIndex, to: swap.timeIndex)
        try renameFile(cleaned.log, to: swap.log)
        try PosixFile.syncDirectory(directory)
    }

    /// Step 3: moves the committed `.swap` files over the originals, the `.log` last so that its
    /// `.swap` name marks an unfinished swap until everything else is in place.
    static func finishSwap(directory: String, baseOffset: Int64) throws {
        let swap = paths(directory: directory, baseOffset: baseOffset, stage: LogFileNames.swapSuffix)
        let target = paths(directory: directory, baseOffset: baseOffset)
        for (from, to) in [(swap.offsetIndex, target.offsetIndex), (swap.timeIndex, target.timeIndex)] where exists(from) {
            try renameFile(from, to: to)
        }
        try renameFile(swap.log, to: target.log)
        try PosixFile.syncDirectory(directory)
    }

    /// Removes the `.cleaned` files of a replacement that will not be swapped in.
    static func discardCleaned(directory: String, baseOffset: Int64) {
        let cleaned = paths(directory: directory, baseOffset: baseOffset, stage: LogFileNames.cleanedSuffix)
        for path in [cleaned.log, cleaned.offsetIndex, cleaned.timeIndex] { _ = path.withCString { unlink($0) } }
    }

    /// Finishes or rolls back swaps a crash interrupted, and removes index files left without
    /// their `.log` (a segment deletion removes the `.log` first). Run before segments are opened.
    static func recoverInterruptedSwaps(directory: String, logger: Logger) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        var changed = false
        // Roll forward: a `.log.swap` means the replacement was complete and fsynced.
        let committedLog = LogFileNames.logSuffix + LogFileNames.swapSuffix
        for name in names where name.hasSuffix(committedLog) {
            guard let baseOffset = LogFileNames.baseOffset(ofSegmentFile: String(name.dropLast(LogFileNames.swapSuffix.count))) else { continue }
            logger.warning("finishing interrupted compaction swap of segment \(baseOffset)")
            try finishSwap(directory: directory, baseOffset: baseOffset)
            changed = true
        }
        // Roll back everything else: uncommitted replacements and orphaned index files.
        let remaining = try FileManager.default.contentsOfDirectory(atPath: directory)
        let logFiles = Set(remaining.filter { $0.hasSuffix(LogFileNames.logSuffix) })
        for name in remaining {
            let isStaged = name.hasSuffix(LogFileNames.cleanedSuffix) || name.hasSuffix(LogFileNames.swapSuffix)
            var isOrphanIndex = false
            for suffix in [LogFileNames.offsetIndexSuffix, LogFileNames.timeIndexSuffix] where name.hasSuffix(suffix) {
                let stem = name.dropLast(suffix.count)
                isOrphanIndex = LogFileNames.baseOffset(ofSegmentFile: String(stem) + LogFileNames.logSuffix) != nil
                    && !logFiles.contains(String(stem) + LogFileNames.logSuffix)
            }
            guard isStaged || isOrphanIndex else { continue }
            if isStaged { logger.warning("removing unfinished compaction file \(name)") }
            _ = (directory + "/" + name).withCString { unlink($0) }
            changed = true
        }
        if changed { try PosixFile.syncDirectory(directory) }
    }

    private static func exists(_ path: String) -> Bool {
        path.withCString { access($0, F_OK) == 0 }
    }

    private static func renameFile(_ from: String, to: String) throws {
        guard rename(from, to) == 0 else { throw LogStoreError.io(operation: "rename", path: from, errno: errno) }
    }
}
