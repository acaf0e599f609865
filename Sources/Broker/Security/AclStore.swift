import AccessControl
import Foundation
import NIOConcurrencyHelpers

/// The broker's ACLs, kept in `acls.json` in the data directory and rewritten atomically on
/// every change, so a crash leaves either the old or the new set.
final class AclStore: Sendable {
    static let fileName = "acls.json"

    private let path: String
    private let acls: NIOLockedValueBox<AclSet>

    init(dataDirectory: String) throws {
        path = (dataDirectory as NSString).appendingPathComponent(Self.fileName)
        if let data = FileManager.default.contents(atPath: path) {
            do {
                acls = NIOLockedValueBox(try JSONDecoder().decode(AclSet.self, from: data))
            } catch {
                throw AclStoreError(path: path, message: "cannot be read: \(error)")
            }
        } else {
            acls = NIOLockedValueBox(AclSet())
        }
    }

    var snapshot: AclSet { acls.withLockedValue { $0 } }

    /// Adds the bindings and persists the new set before returning.
    func create(_ bindings: [AclBinding]) throws {
        try update { set in
            for binding in bindings { set.insert(binding) }
            return ()
        }
    }

    /// Removes what each filter matches; returns the removed bindings per filter.
    func delete(_ filters: [AclBindingFilter]) throws -> [[AclBinding]] {
        try update { set in filters.map { set.remove(matching: $0) } }
    }

    private func update<T>(_ body: (inout AclSet) -> T) throws -> T {
        try acls.withLockedValue { current in
            var next = current
            let result = body(&next)
            if next != current {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try AtomicFile.write(try encoder.encode(next), to: path, mode: 0o600)
                current = next
            }
            return result
        }
    }
}
