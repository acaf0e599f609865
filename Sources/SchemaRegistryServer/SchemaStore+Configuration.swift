import SchemaRegistry

extension SchemaStore {
    // MARK: Compatibility level

    /// The configured level: the subject's own when `subject` is given (`nil` if
    /// it has none), else the global level (BACKWARD unless configured).
    public func compatibility(subject: String? = nil) -> CompatibilityLevel? {
        guard let subject else { return state.globalLevel ?? RegistryState.defaultLevel }
        return state.subjectLevels[subject]
    }

    /// The level registrations under `subject` are checked with: its own, else the global one.
    public func effectiveCompatibility(subject: String) -> CompatibilityLevel {
        state.effectiveLevel(subject: subject)
    }

    /// Sets the global level (`subject == nil`) or a subject's level. Allowed in every mode.
    public func setCompatibility(_ level: CompatibilityLevel, subject: String? = nil) async throws(RegistryError) {
        try await withWriteLock { () throws(RegistryError) in
            try await commit([.config(subject: subject, level: level)])
        }
    }

    /// Removes a subject's level (it falls back to the global one), or resets the
    /// global level to BACKWARD.
    ///
    /// - Returns: the level that was in effect before.
    /// - Throws: 40408 when the subject has no level of its own.
    public func deleteCompatibility(subject: String? = nil) async throws(RegistryError) -> CompatibilityLevel {
        try await withWriteLock { () throws(RegistryError) -> CompatibilityLevel in
            let previous: CompatibilityLevel
            if let subject {
                guard let level = state.subjectLevels[subject] else { throw .subjectCompatibilityNotConfigured(subject) }
                previous = level
            } else {
                previous = state.globalLevel ?? RegistryState.defaultLevel
            }
            try await commit([.configTombstone(subject: subject)])
            return previous
        }
    }

    // MARK: Mode

    /// The configured mode: the subject's own when `subject` is given (`nil` if
    /// it has none), else the global mode (READWRITE unless configured).
    public func mode(subject: String? = nil) -> RegistryMode? {
        guard let subject else { return state.globalMode ?? .readWrite }
        return state.subjectModes[subject]
    }

    /// Sets the global mode (`subject == nil`) or a subject's mode.
    ///
    /// - Parameter force: switching to IMPORT is refused (42205) while schemas
    ///   exist (globally, or under the subject) unless `force`, as in Confluent.
    public func setMode(_ mode: RegistryMode, subject: String? = nil, force: Bool = false) async throws(RegistryError) {
        try await withWriteLock { () throws(RegistryError) in
            if mode == .import, !force {
                let occupied = subject.map { !state.entries($0, includeDeleted: true).isEmpty } ?? !state.subjects.isEmpty
                if occupied {
                    throw .operationNotPermitted("Cannot import since found existing subjects")
                }
            }
            try await commit([.mode(subject: subject, mode: mode)])
        }
    }

    /// Removes a subject's mode, or resets the global mode to READWRITE.
    ///
    /// - Returns: the mode that was in effect before.
    /// - Throws: 40409 when the subject has no mode of its own.
    public func deleteMode(subject: String? = nil) async throws(RegistryError) -> RegistryMode {
        try await withWriteLock { () throws(RegistryError) -> RegistryMode in
            let previous: RegistryMode
            if let subject {
                guard let mode = state.subjectModes[subject] else { throw .subjectModeNotConfigured(subject) }
                previous = mode
            } else {
                previous = state.globalMode ?? .readWrite
            }
            try await commit([.modeTombstone(subject: subject)])
            return previous
        }
    }
}
