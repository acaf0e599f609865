#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Failures of the log store itself: I/O, bad names or configuration, use after close.
///
/// Validation failures of appended data are ``LogAppendError``; reads outside the log are ``LogReadError``.
public enum LogStoreError: Error, Equatable, CustomStringConvertible {
    /// A system call failed. `errno` is the raw POSIX error number.
    case io(operation: String, path: String, errno: Int32)
    /// The topic name is not 1...249 characters of `[a-zA-Z0-9._-]`, or is "." / "..".
    case invalidTopicName(String)
    /// The partition number is negative.
    case invalidPartition(Int32)
    /// A ``LogConfig`` value is outside its legal range.
    case invalidConfig(String)
    /// The log (or its manager, or the flusher) was closed.
    case closed
    /// A metadata file (config, checkpoint) could not be parsed.
    case corruptFile(path: String, reason: String)

    public var description: String {
        switch self {
        case let .io(operation, path, code):
            return "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case let .invalidTopicName(name): return "invalid topic name '\(name)'"
        case let .invalidPartition(p): return "invalid partition \(p)"
        case let .invalidConfig(reason): return "invalid log config: \(reason)"
        case .closed: return "log store is closed"
        case let .corruptFile(path, reason): return "corrupt file \(path): \(reason)"
        }
    }
}
