import SchemaRegistry

/// The registry's state, changed only by applying ``RegistryRecord``s.
///
/// A value type with no I/O: ``SchemaStore`` owns one, appends records to the log
/// and then applies them here; ``SchemaStore/restore(from:)`` applies replayed
/// records the same way.
struct RegistryState: Sendable {
    /// One version slot of a subject.
    struct Entry: Sendable, Equatable {
        var version: Int
        var id: Int32
        var isDeleted: Bool
    }

    private(set) var schemas: [Int32: RegisteredSchema] = [:]
    private(set) var idByIdentity: [SchemaIdentity: Int32] = [:]
    /// Validators for every known schema id that parses.
    private(set) var validators: [Int32: any PayloadValidator] = [:]
    /// Each subject's versions, sorted by version, soft-deleted ones included.
    private(set) var subjects: [String: [Entry]] = [:]
    /// Ids of each subject's non-deleted versions (the produce path's check).
    private(set) var liveIDsBySubject: [String: Set<Int32>] = [:]
    /// How many subject versions (deleted or not) name each id; a schema is
    /// forgotten when the last one is permanently deleted.
    private var useCount: [Int32: Int] = [:]
    /// The highest id ever applied; new ids continue after it.
    private(set) var maxID: Int32 = 0

    private(set) var globalLevel: CompatibilityLevel?
    private(set) var subjectLevels: [String: CompatibilityLevel] = [:]
    private(set) var globalMode: RegistryMode?
    private(set) var subjectModes: [String: RegistryMode] = [:]

    /// The default compatibility level when none is configured (Confluent's default).
    static let defaultLevel = CompatibilityLevel.backward

    // MARK: Queries

    func entries(_ subject: String, includeDeleted: Bool) -> [Entry] {
        let all = subjects[subject] ?? []
        return includeDeleted ? all : all.filter { !$0.isDeleted }
    }

    func schemaVersion(_ subject: String, _ entry: Entry) -> SchemaVersion {
        // Every entry's id is in `schemas`: apply() keeps the use counts.
        SchemaVersion(subject: subject, version: entry.version, schema: schemas[entry.id]!, isDeleted: entry.isDeleted)
    }

    func effectiveLevel(subject: String) -> CompatibilityLevel {
        subjectLevels[subject] ?? globalLevel ?? Self.defaultLevel
    }

    func effectiveMode(subject: String?) -> RegistryMode {
        subject.flatMap { subjectModes[$0] } ?? globalMode ?? .readWrite
    }

    // MARK: Applying records

    /// Applies one record.
    ///
    /// - Returns: a warning when a stored schema could not be parsed (it stays
    ///   registered and readable, but has no payload validator).
    @discardableResult
    mutating func apply(_ record: RegistryRecord) -> String? {
        switch record {
        case .schema(let version):
            return applySchema(version)
        case .schemaTombstone(let subject, let version):
            guard var list = subjects[subject], let index = list.firstIndex(where: { $0.version == version }) else { return nil }
            let removed = list.remove(at: index)
            subjects[subject] = list.isEmpty ? nil : list
            release(removed.id)
            refreshLiveIDs(subject)
        case .config(let subject, let level):
            if let subject { subjectLevels[subject] = level } else { globalLevel = level }
        case .configTombstone(let subject):
            if let subject { subjectLevels[subject] = nil } else { globalLevel = nil }
        case .mode(let subject, let mode):
            if let subject { subjectModes[subject] = mode } else { globalMode = mode }
        case .modeTombstone(let subject):
            if let subject { subjectModes[subject] = nil } else { globalMode = nil }
        case .deleteSubject(let subject, let upTo):
            guard var list = subjects[subject] else { return nil }
            for i in list.indices where list[i].version <= upTo { list[i].isDeleted = true }
            subjects[subject] = list
            refreshLiveIDs(subject)
        case .ignored:
            break
        }
        return nil
    }

    private mutating func applySchema(_ version: SchemaVersion) -> String? {
        var warning: String?
        let id = version.id
        if schemas[id] == nil {
            schemas[id] = version.schema
            // Already-registered schemas load without default validation, as Confluent does.
            do {
                let parsed = try ParsedSchema(text: version.schema.schema, format: version.schema.format, strict: false)
                validators[id] = parsed.validator(id: id)
            } catch {
                warning = "schema \(id) (subject '\(version.subject)' version \(version.version)) has no validator: \(error.message)"
            }
        }
        let identity = SchemaIdentity(version.schema)
        if idByIdentity[identity] == nil { idByIdentity[identity] = id }
        maxID = max(maxID, id)

        let entry = Entry(version: version.version, id: id, isDeleted: version.isDeleted)
        var list = subjects[version.subject] ?? []
        if let index = list.firstIndex(where: { $0.version == entry.version }) {
            let previous = list[index]
            list[index] = entry
            useCount[id, default: 0] += 1
            release(previous.id)
        } else {
            // Versions almost always arrive in order; keep the list sorted regardless.
            let index = list.firstIndex(where: { $0.version > entry.version }) ?? list.endIndex
            list.insert(entry, at: index)
            useCount[id, default: 0] += 1
        }
        subjects[version.subject] = list
        refreshLiveIDs(version.subject)
        return warning
    }

    /// Drops one use of `id`, forgetting the schema after its last use.
    private mutating func release(_ id: Int32) {
        let remaining = (useCount[id] ?? 1) - 1
        guard remaining <= 0 else {
            useCount[id] = remaining
            return
        }
        useCount[id] = nil
        if let schema = schemas.removeValue(forKey: id) {
            let identity = SchemaIdentity(schema)
            if idByIdentity[identity] == id { idByIdentity[identity] = nil }
        }
        validators[id] = nil
    }

    private mutating func refreshLiveIDs(_ subject: String) {
        let live = Set(entries(subject, includeDeleted: false).map(\.id))
        liveIDsBySubject[subject] = live.isEmpty ? nil : live
    }
}
