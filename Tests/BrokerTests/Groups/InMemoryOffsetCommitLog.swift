@testable import Broker

/// An ``OffsetCommitLog`` that keeps entries in memory and can be told to fail.
actor InMemoryOffsetCommitLog: OffsetCommitLog {
    struct WriteFailure: Error {}

    private(set) var entries: [OffsetLogEntry] = []
    private var failing = false

    func setFailing(_ failing: Bool) {
        self.failing = failing
    }

    func append(_ commits: [OffsetCommitRecord]) async throws {
        if failing { throw WriteFailure() }
        entries.append(contentsOf: commits.map(OffsetLogEntry.commit))
    }

    func appendTombstones(_ keys: [OffsetCommitKey]) async throws {
        if failing { throw WriteFailure() }
        entries.append(contentsOf: keys.map(OffsetLogEntry.tombstone))
    }
}
