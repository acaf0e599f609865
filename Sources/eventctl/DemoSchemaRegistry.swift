import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Finds the registry id the demo's Avro records must carry: the latest version of the
/// subject, or — when the topic declares no schema — the id of the schema file registered now.
enum DemoSchemaRegistry {
    static func schemaID(registryURL: String, subject: String, schemaFile: URL?) async throws -> Int32 {
        let base = registryURL.hasSuffix("/") ? String(registryURL.dropLast()) : registryURL
        let (body, status) = try await request(URL(string: "\(base)/subjects/\(subject)/versions/latest")!, post: nil)
        if status == 200, let id = id(in: body) { return id }
        guard let schemaFile else {
            throw DemoError("subject \(subject) is not registered at \(registryURL) and no schema file was found to register")
        }
        let schema = try String(contentsOf: schemaFile, encoding: .utf8)
        let payload = try JSONSerialization.data(withJSONObject: ["schema": schema])
        let (created, createdStatus) = try await request(URL(string: "\(base)/subjects/\(subject)/versions")!, post: payload)
        guard createdStatus == 200, let id = id(in: created) else {
            throw DemoError("cannot register \(schemaFile.path) as \(subject) at \(registryURL): HTTP \(createdStatus) \(String(decoding: created, as: UTF8.self))")
        }
        return id
    }

    private static func id(in body: Data) -> Int32? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        return (object["id"] as? NSNumber).map { Int32(truncating: $0) }
    }

    private static func request(_ url: URL, post: Data?) async throws -> (Data, Int) {
        var request = URLRequest(url: url, timeoutInterval: 10)
        if let post {
            request.httpMethod = "POST"
            request.httpBody = post
            request.setValue("application/vnd.schemaregistry.v1+json", forHTTPHeaderField: "Content-Type")
        }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
        } catch {
            throw DemoError("schema registry \(url) unreachable: \(error.localizedDescription)")
        }
    }
}
