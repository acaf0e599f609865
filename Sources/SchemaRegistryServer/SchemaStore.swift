import Logging
import SchemaRegistry

/// The schema registry's state machine: subjects, versions, global schema ids,
/// compatibility levels and modes, with Confluent Schema Registry's semantics.
///
/// Every change is first appended to the injected ``SchemaLog`` (in the broker,
/// the compacted `_schemas` topic, in Confluent's key/value JSON) and only then
/// applied and acknowledged. ``restore(from:)`` replays such a log and rebuilds
/// the same ids and versions. Changes are serialized: while one waits for its
/// append, others wait their turn, so two registrations never race for a version.
///
/// The produce path uses ``validator(forID:)`` / ``validator(forID:subject:)``:
/// synchronous, lock-protected snapshot reads that see every change as soon as
/// it is applied.
///
/// ```swift
/// let store = SchemaStore(log: topicBackedLog)
/// await store.restore(from: replayedEntries)
/// let id = try await store.register(subject: "payments-value", schema: avsc)
/// store.validator(forID: id)?.validate(payload: bytes)   // [] when valid
/// ```
public actor SchemaStore {
    let log: any SchemaLog
    let logger: Logger
    var state = RegistryState()
    private let cache = ValidatorCache()

    /// Changes waiting for the one in progress (see ``withWriteLock(_:)``).
    private var writeLockHeld = false
    private var writeWaiters: [CheckedContinuation<Void, Never>] = []

    /// Creates an empty registry.
    ///
    /// - Parameters:
    ///   - log: where changes are persisted; ``InMemorySchemaLog`` when nothing needs to survive.
    ///   - logger: receives warnings about unreadable log entries.
    public init(log: any SchemaLog = InMemorySchemaLog(), logger: Logger = Logger(label: "schema-registry")) {
        self.log = log
        self.logger = logger
    }

    // MARK: Restore

    /// Replays `_schemas` entries (oldest first) on top of the current state —
    /// call it once, before serving.
    ///
    /// Entries that cannot be decoded (foreign key types such as Confluent's
    /// `NOOP`, or `PROTOBUF` schemas) are skipped with a warning, as Confluent skips them.
    ///
    /// - Returns: how many entries were applied.
    @discardableResult
    public func restore(from entries: [(key: [UInt8], value: [UInt8]?)]) -> Int {
        var applied = 0
        for (offset, entry) in entries.enumerated() {
            let record: RegistryRecord
            do {
                record = try RegistryRecord(key: entry.key, value: entry.value)
            } catch {
                logger.warning("skipping unreadable _schemas entry", metadata: ["index": "\(offset)", "error": "\(error)"])
                continue
            }
            if let warning = state.apply(record) {
                logger.warning("\(warning)")
            }
            applied += 1
        }
        publish()
        return applied
    }

    // MARK: Produce-path lookups

    /// The schema registered under `id`, if any.
    public func schema(id: Int32) -> RegisteredSchema? {
        state.schemas[id]
    }

    /// Whether `id` is the schema of a non-deleted version of `subject`.
    public func isRegistered(id: Int32, subject: String) -> Bool {
        state.liveIDsBySubject[subject]?.contains(id) == true
    }

    /// The payload validator for schema `id`, or `nil` when no such schema is
    /// registered (or it could not be parsed). Synchronous and cheap: safe to
    /// call from a SwiftNIO event loop.
    public nonisolated func validator(forID id: Int32) -> (any PayloadValidator)? {
        cache.validator(forID: id)
    }

    /// The payload validator for schema `id` only if `id` is a non-deleted
    /// version of `subject` (e.g. TopicNameStrategy's `<topic>-value`); synchronous.
    public nonisolated func validator(forID id: Int32, subject: String) -> (any PayloadValidator)? {
        cache.validator(forID: id, subject: subject)
    }

    // MARK: Reads

    /// Subject names, sorted; soft-deleted subjects only when `includeDeleted`.
    public func subjects(includeDeleted: Bool = false, prefix: String? = nil) -> [String] {
        state.subjects
            .filter { name, entries in
                (prefix.map { name.hasPrefix($0) } ?? true) && (includeDeleted || entries.contains { !$0.isDeleted })
            }
            .keys.sorted()
    }

    /// A subject's version numbers, ascending.
    ///
    /// - Throws: 40401 when the subject has no (non-deleted, unless `includeDeleted`) versions.
    public func versions(subject: String, includeDeleted: Bool = false) throws(RegistryError) -> [Int] {
        let entries = state.entries(subject, includeDeleted: includeDeleted)
        guard !entries.isEmpty else { throw .subjectNotFound(subject) }
        return entries.map(\.version)
    }

    /// One version of a subject.
    ///
    /// - Throws: 40401 unknown subject, 40402 unknown (or soft-deleted, unless `includeDeleted`) version.
    public func version(subject: String, _ selector: VersionSelector, includeDeleted: Bool = false) throws(RegistryError) -> SchemaVersion {
        let entry = try resolve(subject: subject, selector, includeDeleted: includeDeleted)
        return state.schemaVersion(subject, entry)
    }

    /// The subject versions that registered schema `id`, ordered by subject then version.
    public func subjectVersions(id: Int32, includeDeleted: Bool = false) -> [SchemaVersion] {
        state.subjects.keys.sorted().flatMap { subject in
            state.entries(subject, includeDeleted: includeDeleted)
                .filter { $0.id == id }
                .map { state.schemaVersion(subject, $0) }
        }
    }

    /// Ids of schemas whose references name `subject` version `version`.
    public func referencedBy(subject: String, version: Int) -> [Int32] {
        state.schemas.values
            .filter { $0.references.contains { $0.subject == subject && $0.version == version } }
            .map(\.id)
            .sorted()
    }

    /// Finds the entry a selector names; shared by reads, deletes and compatibility tests.
    func resolve(subject: String, _ selector: VersionSelector, includeDeleted: Bool) throws(RegistryError) -> RegistryState.Entry {
        guard !state.entries(subject, includeDeleted: includeDeleted).isEmpty else { throw .subjectNotFound(subject) }
        let entries = state.entries(subject, includeDeleted: includeDeleted)
        switch selector {
        case .latest:
            return entries[entries.count - 1]
        case .number(let n):
            guard let entry = entries.first(where: { $0.version == n }) else { throw .versionNotFound(n) }
            return entry
        }
    }

    // MARK: Writing

    /// Runs `body` with exclusive write access, so a change's plan (next version,
    /// next id) cannot be invalidated by another change while it awaits the log.
    func withWriteLock<T>(_ body: () async throws(RegistryError) -> T) async throws(RegistryError) -> T {
        if writeLockHeld {
            await withCheckedContinuation { writeWaiters.append($0) }
        } else {
            writeLockHeld = true
        }
        defer {
            // Hand the lock straight to the next waiter, so nobody can slip in between.
            if writeWaiters.isEmpty { writeLockHeld = false } else { writeWaiters.removeFirst().resume() }
        }
        return try await body()
    }

    /// Appends each record and applies it once its append succeeded; the state
    /// therefore always equals a prefix of the log, even when an append fails midway.
    func commit(_ records: [RegistryRecord]) async throws(RegistryError) {
        for record in records {
            let (key, value) = record.encoded
            do {
                try await log.append(key: key, value: value)
            } catch {
                logger.error("schema log append failed", metadata: ["error": "\(error)"])
                throw .storeError("\(error)")
            }
            if let warning = state.apply(record) {
                logger.warning("\(warning)")
            }
            publish()
        }
    }

    /// Pushes the produce path's snapshot after a change.
    private func publish() {
        cache.update(validators: state.validators, liveIDsBySubject: state.liveIDsBySubject)
    }
}
