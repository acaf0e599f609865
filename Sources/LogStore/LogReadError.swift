/// Why a read or lookup could not be served.
public enum LogReadError: Error, Equatable, Sendable {
    /// The offset is below the log start offset or above the log end offset
    /// (OFFSET_OUT_OF_RANGE, 1). The bounds are included so the broker can log them.
    case offsetOutOfRange(offset: Int64, logStartOffset: Int64, logEndOffset: Int64)
}
