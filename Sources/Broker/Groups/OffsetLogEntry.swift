/// One entry of `__consumer_offsets` as replayed at start: a commit, or a tombstone that
/// deletes a committed offset (written when a group is deleted).
enum OffsetLogEntry: Sendable, Equatable {
    case commit(OffsetCommitRecord)
    case tombstone(OffsetCommitKey)

    /// Decodes a log record; a null value is a tombstone.
    init(key: some Collection<UInt8>, value: (some Collection<UInt8>)?) throws(OffsetRecordDecodingError) {
        if let value {
            self = .commit(try OffsetCommitRecord(key: key, value: value))
        } else {
            self = .tombstone(try OffsetCommitKey(decoding: key))
        }
    }

    var key: OffsetCommitKey {
        switch self {
        case .commit(let record): record.key
        case .tombstone(let key): key
        }
    }
}
