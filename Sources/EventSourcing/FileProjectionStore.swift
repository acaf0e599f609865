import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checkpoints as JSON files `<directory>/<projection>.json`, each replaced in one atomic
/// `rename` of a fully written and fsynced temporary file (then the directory is fsynced).
public struct FileProjectionStore: ProjectionStore {
    public let directory: String

    /// - Throws: when the directory cannot be created.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    public func load<State: Codable & Sendable>(_ type: State.Type, projection name: String) throws -> ProjectionCheckpoint<State>? {
        let path = self.path(name)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try JSONDecoder().decode(ProjectionCheckpoint<State>.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func save<State: Codable & Sendable>(_ checkpoint: ProjectionCheckpoint<State>, projection name: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(checkpoint)
        let path = self.path(name)
        let temporary = "\(path).tmp"
        try Self.writeSynced(data, to: temporary)
        guard rename(temporary, path) == 0 else { throw Self.posixError("rename \(temporary)") }
        // The rename itself is durable only once the directory is.
        let directoryDescriptor = open(directory, O_RDONLY)
        guard directoryDescriptor >= 0 else { throw Self.posixError("open \(directory)") }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw Self.posixError("fsync \(directory)") }
    }

    private func path(_ name: String) -> String {
        (directory as NSString).appendingPathComponent("\(name).json")
    }

    private static func writeSynced(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw posixError("open \(path)") }
        defer { close(descriptor) }
        try data.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let result = write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw posixError("write \(path)")
                }
                written += result
            }
        }
        guard fsync(descriptor) == 0 else { throw posixError("fsync \(path)") }
    }

    private static func posixError(_ what: String) -> NSError {
        NSError(domain: NSPOSIXErrorDomain, code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(errno)))"])
    }
}
