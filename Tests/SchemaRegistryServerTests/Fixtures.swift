import Hummingbird
import HummingbirdTesting
import SchemaRegistry
import Testing
@testable import SchemaRegistryServer

/// Schemas and helpers shared by the tests.
enum Fixtures {
    static let paymentV1 = #"{"type":"record","name":"Payment","fields":[{"name":"id","type":"string"}]}"#
    /// Adds a field with a default: BACKWARD compatible with v1.
    static let paymentV2 = #"{"type":"record","name":"Payment","fields":[{"name":"id","type":"string"},{"name":"amount","type":"long","default":0}]}"#
    /// Adds a field without a default: not BACKWARD compatible with v1.
    static let paymentNoDefault = #"{"type":"record","name":"Payment","fields":[{"name":"id","type":"string"},{"name":"amount","type":"long"}]}"#
    static let jsonSchema = #"{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}"#

    /// `{"schema": <text>, "schemaType"?: …}` as a request body.
    static func body(_ schema: String, type: String? = nil, extra: String = "") -> ByteBuffer {
        var members = [#""schema":\#(JSONValue.string(schema).serialized())"#]
        if let type { members.append(#""schemaType":"\#(type)""#) }
        if !extra.isEmpty { members.append(extra) }
        return ByteBuffer(string: "{" + members.joined(separator: ",") + "}")
    }

    /// The response body as JSON; `.null` (and a recorded issue) when it is not JSON.
    /// Non-throwing, so it can sit inside `#expect` in HummingbirdTesting's callbacks.
    static func json(_ response: TestResponse) -> JSONValue {
        parse(String(buffer: response.body))
    }

    static func parse(_ text: String) -> JSONValue {
        do {
            return try JSONValue.parse(text)
        } catch {
            Issue.record("not JSON: \(text.prefix(200))")
            return .null
        }
    }

    static func errorCode(_ response: TestResponse) -> Int64? {
        json(response)["error_code"]?.int64Value
    }
}

/// A log that fails every append, to check nothing is acknowledged without persistence.
struct FailingSchemaLog: SchemaLog {
    struct Failure: Error {}
    func append(key: [UInt8], value: [UInt8]?) async throws { throw Failure() }
}
