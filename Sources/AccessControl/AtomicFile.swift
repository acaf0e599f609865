import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a small file so that a crash leaves the old or the new content, never a mix,
/// and so that the new content is never readable with wider permissions than `mode`.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, mode: mode_t) throws {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw AtomicFileError(path: temporary, operation: "open", errno: errno) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        // open() applies the umask; fchmod makes the mode exact.
        guard fchmod(fd, mode) == 0 else { close(fd); throw AtomicFileError(path: temporary, operation: "chmod", errno: errno) }
        let written = data.withUnsafeBytes { bytes -> Int in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc_write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { return -1 }
                offset += n
            }
            return offset
        }
        guard written == data.count, fsync(fd) == 0 else {
            let code = errno
            close(fd)
            throw AtomicFileError(path: temporary, operation: "write", errno: code)
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw AtomicFileError(path: path, operation: "rename", errno: errno) }
        ok = true
        let directory = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}

private func Glibc_write(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, pointer, count)
    #else
    return Darwin.write(fd, pointer, count)
    #endif
}
