import Foundation
import KafkaProtocol
import NIOCore
import Testing
@testable import LogStore

/// A crash in the middle of compaction's segment swap: the directory is left as the crash would
/// leave it, then reopened. Before the commit point (`.log.swap` exists) the swap is rolled back,
/// after it rolled forward; either way no record is lost or duplicated.
@Suite struct CompactionCrashTests {
    let temp = TempDirectory()

    /// Where the swap of segment 0 stopped.
    enum Stage: String, CaseIterable, CustomTestStringConvertible {
        /// `.cleaned` files written and fsynced, no rename yet.
        case cleanedWritten
        /// The index files renamed to `.swap`, the `.log` still `.cleaned` (before the commit point).
        case indexesSwapped
        /// All three renamed to `.swap`: committed, originals untouched.
        case committed
        /// Committed and the indexes already moved over the originals; `.log.swap` remains.
        case indexesFinished

        var rollsForward: Bool { self == .committed || self == .indexesFinished }
        var testDescription: String { rawValue }
    }

    func directoryNames(_ log: PartitionLog) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: log.directory).sorted()
    }

    /// Writes the compaction example, closes the log, then builds segment 0's compacted copy
    /// with the real compactor and stops the swap at `stage`.
    func crash(at stage: Stage) throws -> (original: [LoggedRecord], directory: String) {
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        let log = try manager.createLog(topic: "c", partition: 0, config: LogConfig(cleanupPolicy: .compact, deleteRetentionMs: 100_000))
        try CompactionTests.writeExample(log)
        let original = try log.allRecords()
        try manager.close()

        let directory = log.directory
        var map = KeyOffsetMap()
        for base in log.segmentBaseOffsets {
            let file = try PosixFile.open(log.segmentPath(base), create: false)
            try map.add(file: file, end: try file.size())
        }
        let compactor = SegmentCompactor(
            directory: directory, map: map, tombstoneHorizon: 0, deleteRetentionMs: 100_000, indexInterval: 4096, logger: testLogger)
        let segment0 = try PosixFile.open(log.segmentPath(0), create: false)
        let outcome = try compactor.clean(baseOffset: 0, file: segment0, size: try segment0.size())
        #expect(outcome.cleaned != nil && outcome.recordsRemoved == 5)

        let cleaned = LogSegment.paths(directory: directory, baseOffset: 0, stage: LogFileNames.cleanedSuffix)
        let swap = LogSegment.paths(directory: directory, baseOffset: 0, stage: LogFileNames.swapSuffix)
        let target = LogSegment.paths(directory: directory, baseOffset: 0)
        switch stage {
        case .cleanedWritten:
            break
        case .indexesSwapped:
            #expect(rename(cleaned.offsetIndex, swap.offsetIndex) == 0)
            #expect(rename(cleaned.timeIndex, swap.timeIndex) == 0)
        case .committed:
            try LogSegment.commitSwap(directory: directory, baseOffset: 0)
        case .indexesFinished:
            try LogSegment.commitSwap(directory: directory, baseOffset: 0)
            #expect(rename(swap.offsetIndex, target.offsetIndex) == 0)
            #expect(rename(swap.timeIndex, target.timeIndex) == 0)
        }
        let names = try directoryNames(log)
        #expect(names.contains { $0.hasSuffix(".cleaned") || $0.hasSuffix(".swap") })
        return (original, directory)
    }

    @Test(arguments: Stage.allCases)
    func reopenAfterCrashMidSwapLosesAndDuplicatesNothing(stage: Stage) throws {
        let (original, _) = try crash(at: stage)
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        let log = try #require(manager.log(topic: "c", partition: 0))
        #expect(try !directoryNames(log).contains { $0.hasSuffix(".cleaned") || $0.hasSuffix(".swap") })
        let records = try log.allRecords()
        #expect(records == (stage.rollsForward ? CompactionTests.compacted : original))
        // Whatever survived is exactly what was written at that offset, each offset once.
        let written = Dictionary(uniqueKeysWithValues: original.map { ($0.offset, $0) })
        #expect(records.allSatisfy { written[$0.offset] == $0 })
        #expect(Set(records.map(\.offset)).count == records.count)
        #expect(log.segmentBaseOffsets == [0, 6, 9])
        #expect(log.logEndOffset == 10)
        // Indexes work after either outcome.
        #expect(TestBatch.headers(in: try log.read(from: 4, maxBytes: 1)).first?.lastOffset == 5)
        // And compacting again reaches the documented result.
        try log.compact(now: 10_000)
        #expect(try log.allRecords() == CompactionTests.compacted)
        #expect(try log.appendKeyed([("x", "y")]) == 10)
    }
}
