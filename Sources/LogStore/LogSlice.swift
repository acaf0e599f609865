/// A byte range of a segment file holding whole batches, for zero-copy sends (NIO `FileRegion`).
///
/// The slice keeps its segment file open, so it stays readable even when retention deletes the
/// segment meanwhile.
public struct LogSlice: Sendable {
    let file: PosixFile
    /// Position of the first batch in the file.
    public let position: Int
    /// Bytes of whole batches from `position`.
    public let length: Int

    /// Path of the segment file (it may have been deleted since).
    public var path: String { file.path }

    /// A new descriptor for the segment file, owned by the caller (close it, or hand it to
    /// `NIOFileHandle(_unsafeOwningDescriptor:)`, which closes it).
    public func makeFileDescriptor() throws -> CInt {
        try file.duplicateDescriptor()
    }
}
