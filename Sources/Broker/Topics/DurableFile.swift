import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Atomic, durable replacement of small metadata files.
enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `data` to `path.tmp`, fsyncs it, renames it over `path` and fsyncs the directory.
    static func replace(path: String, with data: Data) throws {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot create \(tmp): errno \(errno)") }
        defer { close(fd) }
        try data.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure(description: "cannot write \(tmp): errno \(errno)")
                }
                written += n
            }
        }
        guard fsync(fd) == 0 else { throw Failure(description: "cannot fsync \(tmp): errno \(errno)") }
        guard rename(tmp, path) == 0 else { throw Failure(description: "cannot rename \(tmp): errno \(errno)") }
        let dir = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }
}
