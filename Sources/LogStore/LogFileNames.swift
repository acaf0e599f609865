/// File names inside a partition directory.
enum LogFileNames {
    static let logSuffix = ".log"
    static let offsetIndexSuffix = ".index"
    static let timeIndexSuffix = ".timeindex"
    /// The log configuration (JSON ``LogConfig``).
    static let config = "log-config.json"
    /// The log start offset checkpoint (decimal text), written by `deleteRecords` and retention.
    static let logStartOffsetCheckpoint = "log-start-offset.checkpoint"
    /// Producer state written at clean close (JSON), so restart scans only what follows it.
    static let producerSnapshot = "producer-state.snapshot"
    /// In the data directory: present after a clean shutdown, removed at start.
    static let cleanShutdownMarker = ".clean-shutdown"
    /// Appended to a segment's three file names while compaction writes their replacement.
    /// Recovery deletes such files: the swap had not started, the originals are intact.
    static let cleanedSuffix = ".cleaned"
    /// Appended to a replacement segment's file names once it is complete and fsynced (the `.log`
    /// rename is the commit point). Recovery finishes the swap: the `.swap` files replace the originals.
    static let swapSuffix = ".swap"
    /// Suffix a partition directory gets while it is being deleted.
    static let deletedDirectorySuffix = ".deleted"

    /// A segment file's name: the base offset as 20 zero-padded digits, then `suffix` (Kafka's names).
    static func segmentFile(baseOffset: Int64, suffix: String) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The base offset of a `.log` file name, or nil for any other file.
    static func baseOffset(ofLogFile name: String) -> Int64? {
        baseOffset(ofSegmentFile: name)
    }

    /// The base offset of a segment's `.log` name, also used for the stem of its other files.
    static func baseOffset(ofSegmentFile name: String) -> Int64? {
        guard name.hasSuffix(logSuffix) else { return nil }
        let stem = name.dropLast(logSuffix.count)
        guard stem.count == 20, stem.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(stem)
    }
}
