import AccessControl
import Foundation
import Logging
import NIOConcurrencyHelpers

/// The users file, re-read when it changes so `eventctl users add` takes effect without a restart.
final class UserDirectory: Sendable {
    private let path: String
    private let logger: Logger
    private let state: NIOLockedValueBox<(file: UsersFile, modified: Date?)>

    /// Loads `path` now: a broker configured with a bad users file does not start.
    init(path: String, logger: Logger) throws {
        self.path = path
        self.logger = logger
        state = NIOLockedValueBox((try UsersFile.load(path: path), Self.modificationDate(path)))
    }

    var current: UsersFile {
        let modified = Self.modificationDate(path)
        return state.withLockedValue { state in
            if modified != state.modified {
                do {
                    state = (try UsersFile.load(path: path), modified)
                    logger.info("reloaded users file", metadata: ["path": "\(path)"])
                } catch {
                    // Keep the last good file: a half-edited file must not lock everyone out.
                    logger.error("cannot reload users file, keeping the previous one: \(error)")
                    state.modified = modified
                }
            }
            return state.file
        }
    }

    private static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
