import SchemaRegistry

/// An error in Confluent Schema Registry's vocabulary: a five-digit `error_code`
/// whose first three digits are the HTTP status, and a message.
///
/// Every failure of ``SchemaStore`` is a `RegistryError`, so the REST layer maps
/// it to `{"error_code": …, "message": …}` without guessing.
public struct RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Confluent's error code, e.g. `40401`.
    public var code: Int
    /// Human-readable explanation, worded like Confluent's where one exists.
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status for this error: the code's first three digits (`40901` → 409).
    public var httpStatus: Int {
        code >= 10_000 ? code / 100 : code
    }

    public var description: String { "\(code): \(message)" }

    // MARK: Confluent's errors

    /// 40401: the subject does not exist (or has only soft-deleted versions).
    public static func subjectNotFound(_ subject: String) -> RegistryError {
        RegistryError(code: 40401, message: "Subject '\(subject)' not found.")
    }

    /// 40402: the subject has no such version.
    public static func versionNotFound(_ version: Int) -> RegistryError {
        RegistryError(code: 40402, message: "Version \(version) not found.")
    }

    /// 40403: no schema with this id.
    public static func schemaNotFound(id: Int32) -> RegistryError {
        RegistryError(code: 40403, message: "Schema \(id) not found")
    }

    /// 40403: a lookup found no matching schema under the subject.
    public static let schemaNotFound = RegistryError(code: 40403, message: "Schema not found")

    /// 40404: soft-deleting a subject that is already soft-deleted.
    public static func subjectSoftDeleted(_ subject: String) -> RegistryError {
        RegistryError(code: 40404, message: "Subject '\(subject)' was soft deleted. Set permanent=true to delete permanently")
    }

    /// 40405: permanently deleting a subject that was not soft-deleted first.
    public static func subjectNotSoftDeleted(_ subject: String) -> RegistryError {
        RegistryError(code: 40405, message: "Subject '\(subject)' was not deleted first before being permanently deleted")
    }

    /// 40406: soft-deleting a version that is already soft-deleted.
    public static func versionSoftDeleted(_ subject: String, _ version: Int) -> RegistryError {
        RegistryError(code: 40406, message: "Subject '\(subject)' Version \(version) was soft deleted. Set permanent=true to delete permanently")
    }

    /// 40407: permanently deleting a version that was not soft-deleted first.
    public static func versionNotSoftDeleted(_ subject: String, _ version: Int) -> RegistryError {
        RegistryError(code: 40407, message: "Subject '\(subject)' Version \(version) was not deleted first before being permanently deleted")
    }

    /// 40408: the subject has no compatibility level of its own.
    public static func subjectCompatibilityNotConfigured(_ subject: String) -> RegistryError {
        RegistryError(code: 40408, message: "Subject '\(subject)' does not have subject-level compatibility configured")
    }

    /// 40409: the subject has no mode of its own.
    public static func subjectModeNotConfigured(_ subject: String) -> RegistryError {
        RegistryError(code: 40409, message: "Subject '\(subject)' does not have subject-level mode configured")
    }

    /// 40901: the candidate breaks the subject's compatibility level.
    public static func incompatibleSchema(subject: String, level: CompatibilityLevel, messages: [String]) -> RegistryError {
        let details = (messages + ["compatibility: '\(level.rawValue)'"]).joined(separator: "; ")
        return RegistryError(
            code: 40901,
            message: "Schema being registered is incompatible with an earlier schema for subject \"\(subject)\", details: [\(details)]"
        )
    }

    /// 42201: the schema does not parse, or its type is unsupported.
    public static func invalidSchema(_ detail: String) -> RegistryError {
        RegistryError(code: 42201, message: "Invalid schema: \(detail)")
    }

    /// 42202: a version path segment that is neither 1…2^31-1 nor `latest`.
    public static func invalidVersion(_ text: String) -> RegistryError {
        RegistryError(
            code: 42202,
            message: "The specified version '\(text)' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""
        )
    }

    /// 42203: an unknown compatibility level name.
    public static let invalidCompatibilityLevel = RegistryError(
        code: 42203,
        message: "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive"
    )

    /// 42204: an unknown mode name.
    public static let invalidMode = RegistryError(
        code: 42204,
        message: "Invalid mode. Valid values are READWRITE, READONLY, IMPORT"
    )

    /// 42205: the operation is refused by the current mode.
    public static func operationNotPermitted(_ message: String) -> RegistryError {
        RegistryError(code: 42205, message: message)
    }

    /// 50001: the backing log refused a write.
    public static func storeError(_ detail: String) -> RegistryError {
        RegistryError(code: 50001, message: "Error in the backend data store - \(detail)")
    }
}

