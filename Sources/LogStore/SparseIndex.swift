import NIOCore

/// A segment index file (`.index` or `.timeindex`) and its entries in memory.
///
/// Entries are few (one per `indexIntervalBytes` of log), so they live in an array for lookups
/// and each new one is also written at the end of the file. The file is a cache: recovery
/// rebuilds it from the `.log` whenever it is missing or inconsistent, so it is fsynced only
/// when a segment rolls or the log closes, never on the produce path.
///
/// Not thread-safe; the owning ``PartitionLog`` guards it with its lock.
final class SparseIndex<Entry: IndexEntry> {
    let file: PosixFile
    private(set) var entries: [Entry]

    private init(file: PosixFile, entries: [Entry]) {
        self.file = file
        self.entries = entries
    }

    /// Opens (or creates) the index file and reads its entries. Returns the index and whether the
    /// file held a whole number of entries that pass `isValid` (checked pairwise with the previous
    /// entry); when it did not, the index comes back empty and truncated, to be rebuilt by the caller.
    static func open(
        path: String,
        isValid: (_ previous: Entry?, _ entry: Entry) -> Bool
    ) throws -> (index: SparseIndex, wasValid: Bool) {
        let file = try PosixFile.open(path, create: true)
        let size = try file.size()
        var entries: [Entry] = []
        var valid = size % Entry.size == 0
        if valid && size > 0 {
            var buffer = ByteBufferAllocator().buffer(capacity: size)
            try file.read(into: &buffer, at: 0, length: size)
            valid = buffer.readableBytes == size
            entries.reserveCapacity(size / Entry.size)
            var at = 0
            while valid && at < size {
                let entry = Entry(reading: buffer, at: at)
                valid = isValid(entries.last, entry)
                entries.append(entry)
                at += Entry.size
            }
        }
        let index = SparseIndex(file: file, entries: valid ? entries : [])
        if !valid { try file.truncate(to: 0) }
        return (index, valid)
    }

    var last: Entry? { entries.last }

    /// Adds an entry in memory and at the end of the file.
    func append(_ entry: Entry) throws {
        var bytes = ByteBufferAllocator().buffer(capacity: Entry.size)
        entry.write(to: &bytes)
        try file.write(bytes, at: entries.count * Entry.size)
        entries.append(entry)
    }

    /// Keeps the first `count` entries, in memory and on disk.
    func truncate(toCount count: Int) throws {
        guard count < entries.count else { return }
        entries.removeLast(entries.count - count)
        try file.truncate(to: count * Entry.size)
    }

    /// Index of the last entry for which `isAtOrBefore` holds, assuming it holds for a prefix
    /// of the entries (they are sorted). Binary search.
    func lastIndex(where isAtOrBefore: (Entry) -> Bool) -> Int? {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if isAtOrBefore(entries[mid]) { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }
}

extension SparseIndex where Entry == OffsetIndexEntry {
    /// The last entry whose batch starts at or before `relativeOffset`.
    func lookup(relativeOffset: UInt32) -> OffsetIndexEntry? {
        lastIndex { $0.relativeOffset <= relativeOffset }.map { entries[$0] }
    }
}

extension SparseIndex where Entry == TimeIndexEntry {
    /// The last entry whose timestamp is below `timestamp`: every batch up to and including its
    /// offset has a max timestamp below `timestamp`, so a scan for `timestamp` may start there.
    func lookup(before timestamp: Int64) -> TimeIndexEntry? {
        lastIndex { $0.timestamp < timestamp }.map { entries[$0] }
    }
}
