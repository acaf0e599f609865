import SchemaRegistry

extension SchemaStore {
    /// Registers `schema` under `subject` and returns its global id.
    ///
    /// - An identical schema (same type, normalized text and references) already
    ///   live in the subject returns its id; no version is added.
    /// - Otherwise the candidate is checked against the subject's non-deleted
    ///   versions with the effective compatibility level (transitive levels: all
    ///   of them, others: the latest) and gets version latest + 1; its id is the
    ///   existing id of an identical schema in any subject, or a new one.
    /// - In `IMPORT` mode no compatibility check is made and `id`/`version` may be
    ///   given to reproduce another registry's numbering.
    ///
    /// - Throws: 42201 invalid or unsupported schema, 40901 incompatible,
    ///   42205 refused by the mode, 50001 log failure.
    @discardableResult
    public func register(
        subject: String,
        schema text: String,
        format: SchemaFormat = .avro,
        references: [SchemaReference] = [],
        id requestedID: Int32? = nil,
        version requestedVersion: Int? = nil
    ) async throws(RegistryError) -> Int32 {
        try await withWriteLock { () throws(RegistryError) -> Int32 in
            let mode = state.effectiveMode(subject: subject)
            if mode == .readOnly {
                throw .operationNotPermitted("Subject \(subject) is in read-only mode")
            }
            if (requestedID != nil || requestedVersion != nil) && mode != .import {
                throw .operationNotPermitted("Subject \(subject) is not in import mode")
            }
            let parsed = try ParsedSchema(text: text, format: format)
            let identity = SchemaIdentity(format: format, normalized: parsed.normalized, references: references)

            let live = state.entries(subject, includeDeleted: false)
            if let existing = live.last(where: { SchemaIdentity(state.schemas[$0.id]!) == identity }) {
                return existing.id
            }
            if mode != .import {
                let level = state.effectiveLevel(subject: subject)
                let result = checkCompatibility(parsed, against: live.map { state.schemas[$0.id]! }, level: level)
                guard result.isCompatible else {
                    throw .incompatibleSchema(subject: subject, level: level, messages: result.messages)
                }
            }

            let id: Int32
            if let requestedID {
                if let taken = state.schemas[requestedID], SchemaIdentity(taken) != identity {
                    throw .operationNotPermitted("Overwrite new schema with id \(requestedID) is not permitted.")
                }
                id = requestedID
            } else if let known = state.idByIdentity[identity] {
                id = known
            } else {
                guard state.maxID < Int32.max else { throw .storeError("schema ids exhausted") }
                id = state.maxID + 1
            }

            let all = state.entries(subject, includeDeleted: true)
            let version: Int
            if let requestedVersion {
                if all.contains(where: { $0.version == requestedVersion }) {
                    throw .operationNotPermitted("Version \(requestedVersion) already exists for subject \(subject)")
                }
                version = requestedVersion
            } else {
                // Soft-deleted versions keep their numbers, so the next one continues after them.
                version = (all.last?.version ?? 0) + 1
            }

            let registered = RegisteredSchema(id: id, format: format, schema: parsed.normalized, references: references)
            try await commit([.schema(SchemaVersion(subject: subject, version: version, schema: registered))])
            return id
        }
    }

    /// Finds the version of `subject` that registered this schema (Confluent's
    /// `POST /subjects/{subject}`).
    ///
    /// - Throws: 40401 unknown subject, 40403 not registered there, 42201 invalid schema.
    public func lookup(
        subject: String,
        schema text: String,
        format: SchemaFormat = .avro,
        references: [SchemaReference] = [],
        includeDeleted: Bool = false
    ) throws(RegistryError) -> SchemaVersion {
        let entries = state.entries(subject, includeDeleted: includeDeleted)
        guard !entries.isEmpty else { throw .subjectNotFound(subject) }
        let parsed = try ParsedSchema(text: text, format: format, strict: false)
        let identity = SchemaIdentity(format: format, normalized: parsed.normalized, references: references)
        guard let entry = entries.last(where: { SchemaIdentity(state.schemas[$0.id]!) == identity }) else {
            throw .schemaNotFound
        }
        return state.schemaVersion(subject, entry)
    }

    /// Tests a candidate without registering it (Confluent's
    /// `POST /compatibility/subjects/{subject}/versions[/{version}]`).
    ///
    /// - Parameter version: check against that one version; `nil` checks against
    ///   every live version as the subject's level prescribes (an unknown subject
    ///   is then compatible).
    /// - Throws: 40401 / 40402 when `version` names nothing, 42201 invalid candidate.
    public func testCompatibility(
        subject: String,
        version: VersionSelector?,
        schema text: String,
        format: SchemaFormat = .avro,
        references: [SchemaReference] = []
    ) throws(RegistryError) -> CompatibilityResult {
        let parsed = try ParsedSchema(text: text, format: format)
        let previous: [RegisteredSchema]
        if let version {
            previous = [state.schemas[try resolve(subject: subject, version, includeDeleted: false).id]!]
        } else {
            previous = state.entries(subject, includeDeleted: false).map { state.schemas[$0.id]! }
        }
        return checkCompatibility(parsed, against: previous, level: state.effectiveLevel(subject: subject))
    }

    /// Applies `level` with the SchemaRegistry module's checkers; `previous` oldest first.
    func checkCompatibility(_ candidate: ParsedSchema, against previous: [RegisteredSchema], level: CompatibilityLevel) -> CompatibilityResult {
        guard level != .none, !previous.isEmpty else { return .compatible }
        // A subject cannot switch languages: no reader of one can read the other's data.
        if let other = previous.first(where: { $0.format != candidate.format }) {
            return .incompatible([
                "Incompatible schema type: the candidate is \(candidate.format.confluentName), version with id \(other.id) is \(other.format.confluentName)"
            ])
        }
        let texts = previous.map(\.schema)
        switch candidate.format {
        case .avro:
            return AvroCompatibility.check(level: level, candidate: candidate.normalized, previous: texts)
        case .json:
            return JSONSchemaCompatibility.check(level: level, candidate: candidate.normalized, previous: texts)
        }
    }
}
