import Foundation

/// Small metadata files (config, checkpoints, snapshots, markers) written so that a crash leaves
/// either the old or the new content, never a mix: temp file, fsync, rename, fsync directory.
/// The broker keeps its own small catalogues (topics, producer ids) the same way.
public enum DurableFile {
    /// Atomically and durably replaces the file at `path` with `data`.
    public static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp"
        let file = try PosixFile.open(temporary, create: true)
        try file.truncate(to: 0)
        try data.withUnsafeBytes { try file.write($0, at: 0) }
        try file.sync()
        guard rename(temporary, path) == 0 else {
            throw LogStoreError.io(operation: "rename", path: temporary, errno: errno)
        }
        try PosixFile.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// The file's bytes, or nil when it does not exist.
    static func read(_ path: String) -> Data? {
        FileManager.default.contents(atPath: path)
    }

    static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(encoder.encode(value), to: path)
    }

    /// Decodes the file, nil when it does not exist; throws ``LogStoreError/corruptFile(path:reason:)``
    /// when it exists but does not decode.
    static func readJSON<T: Decodable>(_ type: T.Type, from path: String) throws -> T? {
        guard let data = read(path) else { return nil }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw LogStoreError.corruptFile(path: path, reason: "\(error)")
        }
    }
}
