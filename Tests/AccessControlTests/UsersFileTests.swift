import AccessControl
import Foundation
import Testing

@Suite struct UsersFileTests {
    @Test func writeLoadVerifyAndMode() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var file = UsersFile()
        file.set(user: "alice", mechanism: .sha256, credential: try .derive(password: "right", mechanism: .sha256, iterations: 4096))
        file.set(user: "alice", mechanism: .sha512, credential: try .derive(password: "right", mechanism: .sha512, iterations: 4096))
        try file.write(to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("right"))
        let loaded = try UsersFile.load(path: path)
        #expect(loaded == file)
        #expect(loaded.verify(user: "alice", password: "right"))
        #expect(!loaded.verify(user: "alice", password: "wrong"))
        #expect(!loaded.verify(user: "bob", password: "right"))
    }

    @Test func badFilesNameThePath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"version": 1, "users": {"a": {"SCRAM-MD5": {"salt": "AA==", "iterations": 4096, "storedKey": "AA==", "serverKey": "AA=="}}}}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: UsersFileError.self) { try UsersFile.load(path: path) }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("SCRAM-MD5") == true)
        #expect(throws: UsersFileError.self) { try UsersFile.load(path: path + ".missing") }
    }
}
