import SchemaRegistry

extension SchemaStore {
    /// Deletes a subject, with Confluent's two-step rule: a soft delete hides its
    /// versions (ids stay resolvable); a permanent delete, allowed only after a
    /// soft delete, removes them and the subject's config and mode.
    ///
    /// - Returns: the versions deleted.
    /// - Throws: 40401 unknown subject, 40404 already soft-deleted (soft),
    ///   40405 not soft-deleted first (permanent), 42205 read-only, 50001.
    public func deleteSubject(_ subject: String, permanent: Bool = false) async throws(RegistryError) -> [Int] {
        try await withWriteLock { () throws(RegistryError) -> [Int] in
            try requireWritable(subject)
            let all = state.entries(subject, includeDeleted: true)
            guard !all.isEmpty else { throw .subjectNotFound(subject) }
            let live = all.filter { !$0.isDeleted }
            if permanent {
                guard live.isEmpty else { throw .subjectNotSoftDeleted(subject) }
                var records = all.map { RegistryRecord.schemaTombstone(subject: subject, version: $0.version) }
                if state.subjectLevels[subject] != nil { records.append(.configTombstone(subject: subject)) }
                if state.subjectModes[subject] != nil { records.append(.modeTombstone(subject: subject)) }
                try await commit(records)
                return all.map(\.version)
            }
            guard !live.isEmpty else { throw .subjectSoftDeleted(subject) }
            // Each version's SCHEMA record carries deleted=true, so a compacted log
            // keeps the deletion; DELETE_SUBJECT is written too, as Confluent does.
            var records = live.map { entry -> RegistryRecord in
                var version = state.schemaVersion(subject, entry)
                version.isDeleted = true
                return .schema(version)
            }
            records.append(.deleteSubject(subject: subject, version: all[all.count - 1].version))
            try await commit(records)
            return live.map(\.version)
        }
    }

    /// Deletes one version of a subject; permanent deletion requires a prior soft delete.
    ///
    /// `latest` names the newest non-deleted version (for a permanent delete: the
    /// newest version, deleted or not).
    ///
    /// - Returns: the version deleted.
    /// - Throws: 40401, 40402, 40406 already soft-deleted, 40407 not soft-deleted
    ///   first, 42205 read-only, 50001.
    public func deleteVersion(subject: String, _ selector: VersionSelector, permanent: Bool = false) async throws(RegistryError) -> Int {
        try await withWriteLock { () throws(RegistryError) -> Int in
            try requireWritable(subject)
            let entry = try resolve(subject: subject, selector, includeDeleted: permanent || isNumber(selector))
            if permanent {
                guard entry.isDeleted else { throw .versionNotSoftDeleted(subject, entry.version) }
                try await commit([.schemaTombstone(subject: subject, version: entry.version)])
            } else {
                guard !entry.isDeleted else { throw .versionSoftDeleted(subject, entry.version) }
                var version = state.schemaVersion(subject, entry)
                version.isDeleted = true
                try await commit([.schema(version)])
            }
            return entry.version
        }
    }

    /// Deletes are refused in read-only mode, like registrations.
    private func requireWritable(_ subject: String) throws(RegistryError) {
        if state.effectiveMode(subject: subject) == .readOnly {
            throw .operationNotPermitted("Subject \(subject) is in read-only mode")
        }
    }

    private func isNumber(_ selector: VersionSelector) -> Bool {
        if case .number = selector { return true }
        return false
    }
}
