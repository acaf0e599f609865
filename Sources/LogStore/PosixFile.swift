#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// An open file descriptor with positional I/O; closes the descriptor when the last reference
/// goes away.
///
/// Reference counting is the point: a reader that captured a segment's file keeps reading it even
/// when retention deletes (unlinks) the segment concurrently, and a descriptor number is never
/// reused under a reader's feet. All calls are positional (`pread`/`pwrite`), so one descriptor is
/// safe to use from many threads.
final class PosixFile: Sendable {
    let descriptor: CInt
    let path: String

    private init(descriptor: CInt, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { _ = close(descriptor) }

    /// Opens `path` read-write, creating it (mode 0644) when `create` is true.
    static func open(_ path: String, create: Bool) throws -> PosixFile {
        var flags = O_RDWR | O_CLOEXEC
        if create { flags |= O_CREAT }
        let fd = path.withCString { systemOpen($0, flags, 0o644) }
        guard fd >= 0 else { throw LogStoreError.io(operation: "open", path: path, errno: errno) }
        return PosixFile(descriptor: fd, path: path)
    }

    /// Current size in bytes (fstat).
    func size() throws -> Int {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else { throw error("fstat") }
        return Int(st.st_size)
    }

    /// Writes all of `bytes` at `offset`, retrying short writes and EINTR.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw error("pwrite")
            }
            done += n
        }
    }

    /// Writes the readable bytes of `buffer` at `offset` (one `pwrite` in the normal case).
    func write(_ buffer: ByteBuffer, at offset: Int) throws {
        try buffer.withUnsafeReadableBytes { try write($0, at: offset) }
    }

    /// Appends up to `length` bytes read at `offset` to `buffer`; stops early at end of file.
    /// Returns how many bytes were read.
    @discardableResult
    func read(into buffer: inout ByteBuffer, at offset: Int, length: Int) throws -> Int {
        guard length > 0 else { return 0 }
        return try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { target in
            var done = 0
            while done < length {
                let n = pread(descriptor, target.baseAddress! + done, length - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw error("pread")
                }
                if n == 0 { break }
                done += n
            }
            return done
        }
    }

    /// Makes written data durable. `fdatasync` on Linux: it skips timestamps but still flushes the
    /// size change an append makes, which is all recovery needs.
    func sync() throws {
        #if canImport(Darwin)
        let rc = fsync(descriptor)
        #else
        let rc = fdatasync(descriptor)
        #endif
        guard rc == 0 else { throw error("fsync") }
    }

    func truncate(to size: Int) throws {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw error("ftruncate") }
    }

    /// A new descriptor for the same open file (`dup`), owned by the caller.
    func duplicateDescriptor() throws -> CInt {
        let fd = dup(descriptor)
        guard fd >= 0 else { throw error("dup") }
        return fd
    }

    /// fsyncs a directory so that file creations, renames and deletions in it are durable.
    static func syncDirectory(_ path: String) throws {
        let fd = path.withCString { systemOpen($0, O_RDONLY | O_CLOEXEC | O_DIRECTORY, 0) }
        guard fd >= 0 else { throw LogStoreError.io(operation: "open directory", path: path, errno: errno) }
        defer { _ = close(fd) }
        guard fsync(fd) == 0 else { throw LogStoreError.io(operation: "fsync directory", path: path, errno: errno) }
    }

    private func error(_ operation: String) -> LogStoreError {
        .io(operation: operation, path: path, errno: errno)
    }
}

/// `open(2)` under a name that does not clash with `PosixFile.open`.
private func systemOpen(_ path: UnsafePointer<CChar>, _ flags: CInt, _ mode: mode_t) -> CInt {
    open(path, flags, mode)
}
