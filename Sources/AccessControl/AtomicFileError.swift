import Foundation

/// A failed ``AtomicFile/write(_:to:mode:)``.
public struct AtomicFileError: Error, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32
    public var description: String { "\(path): \(operation) failed: \(String(cString: strerror(errno)))" }
}
