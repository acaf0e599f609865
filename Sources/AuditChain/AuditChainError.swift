/// Errors thrown by this module. Verification problems are not errors but
/// ``VerificationFailure``s in a ``VerificationReport``; these are misuse and malformed input.
public enum AuditChainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A proof was asked of a ``MerkleLog`` that keeps only its compact state.
    case leavesNotStored
    /// A leaf index or tree size beyond the tree.
    case outOfRange(String)
    /// Bytes that are not a valid encoding of the named thing (checkpoint, audit record, proof file, key).
    case malformed(String)
    /// A key file that cannot be read, created or parsed.
    case keyFile(String)
    /// An inclusion proof was asked for an offset that no checkpoint covers.
    case notCovered(String)

    public var description: String {
        switch self {
        case .leavesNotStored: "this Merkle log keeps only its compact state; proofs need the leaves"
        case .outOfRange(let what): "out of range: \(what)"
        case .malformed(let what): "malformed \(what)"
        case .keyFile(let what): "key file: \(what)"
        case .notCovered(let what): "not covered by any checkpoint: \(what)"
        }
    }
}
