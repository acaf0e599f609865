import Foundation
import Hummingbird
import SchemaRegistry

/// Request decoding and response encoding shared by the registry's routes.
enum RegistryHTTP {
    /// Confluent's response content type; clients send it (or `application/json`) too.
    static let contentType = "application/vnd.schemaregistry.v1+json"
    /// Bounds a request body: far above any real schema, far below memory trouble.
    static let maxBodySize = 16 * 1024 * 1024

    // MARK: Responses

    static func json(_ value: JSONValue, status: Int = 200) -> Response {
        text(value.serialized(), contentType: contentType, status: status)
    }

    static func text(_ body: String, contentType: String, status: Int = 200) -> Response {
        Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }

    static func error(_ error: RegistryError) -> Response {
        json(
            .object([
                (key: "error_code", value: .integer(Int64(error.code))),
                (key: "message", value: .string(error.message)),
            ]),
            status: error.httpStatus
        )
    }

    /// Runs a handler and turns every failure into Confluent's error JSON, so no
    /// request ends with an empty body or a dropped connection.
    static func respond(_ handler: () async throws -> Response) async -> Response {
        do {
            return try await handler()
        } catch let error as RegistryError {
            return self.error(error)
        } catch let error as HTTPError {
            return self.error(RegistryError(code: Int(error.status.code), message: error.body ?? error.status.reasonPhrase))
        } catch {
            return self.error(RegistryError(code: 50001, message: "Internal error: \(error)"))
        }
    }

    // MARK: Requests

    /// Collects and parses a JSON body: 413 beyond ``maxBodySize``, 400 when it is
    /// not JSON, 422 when it is not an object.
    static func jsonBody(_ request: Request) async throws(RegistryError) -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodySize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // NIO's NIOTooManyBytesError, which Hummingbird maps to 413.
            throw RegistryError(code: 413, message: "Request body exceeds \(maxBodySize) bytes")
        } catch {
            throw RegistryError(code: 400, message: "Could not read the request body: \(error)")
        }
        guard buffer.readableBytes > 0 else {
            throw RegistryError(code: 400, message: "Request body is empty; a JSON object is expected")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(String(decoding: buffer.readableBytesView, as: UTF8.self))
        } catch {
            throw RegistryError(code: 400, message: "Malformed JSON body: \(error)")
        }
        guard case .object = value else {
            throw RegistryError(code: 422, message: "Request body must be a JSON object")
        }
        return value
    }

    /// A path parameter, percent-decoded (subjects may contain any character).
    static func parameter(_ name: String, _ parameters: Parameters) throws(RegistryError) -> String {
        guard let raw = parameters.get(name) else {
            throw RegistryError(code: 404, message: "HTTP 404 Not Found")
        }
        return raw.removingPercentEncoding ?? raw
    }

    static func version(_ parameters: Parameters) throws(RegistryError) -> VersionSelector {
        let text = try parameter("version", parameters)
        guard let selector = VersionSelector(text) else { throw .invalidVersion(text) }
        return selector
    }

    static func schemaID(_ parameters: Parameters) throws(RegistryError) -> Int32 {
        let text = try parameter("id", parameters)
        guard let id = Int32(text) else { throw RegistryError(code: 40403, message: "Schema \(text) not found") }
        return id
    }

    /// Whether a boolean query flag (`?deleted=true`) is set.
    static func flag(_ name: String, _ request: Request) -> Bool {
        request.uri.queryParameters.get(name)?.lowercased() == "true"
    }

    static func query(_ name: String, _ request: Request) -> String? {
        request.uri.queryParameters.get(name)
    }

    // MARK: JSON shapes

    /// `{"subject","version","id","schemaType"?,"references"?,"schema"}` (Confluent's order;
    /// `schemaType` omitted for Avro).
    static func versionJSON(_ v: SchemaVersion) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            (key: "subject", value: .string(v.subject)),
            (key: "version", value: .integer(Int64(v.version))),
            (key: "id", value: .integer(Int64(v.id))),
        ]
        members += typeAndReferences(v.schema)
        members.append((key: "schema", value: .string(v.schema.schema)))
        return .object(members)
    }

    /// `{"schemaType"?,"references"?,"schema"}`, as `GET /schemas/ids/{id}` answers.
    static func schemaJSON(_ schema: RegisteredSchema) -> JSONValue {
        .object(typeAndReferences(schema) + [(key: "schema", value: .string(schema.schema))])
    }

    private static func typeAndReferences(_ schema: RegisteredSchema) -> [(key: String, value: JSONValue)] {
        var members: [(key: String, value: JSONValue)] = []
        if schema.format != .avro {
            members.append((key: "schemaType", value: .string(schema.format.confluentName)))
        }
        if !schema.references.isEmpty {
            members.append((key: "references", value: .array(schema.references.map(\.json))))
        }
        return members
    }

    static func integers(_ values: [Int]) -> JSONValue {
        .array(values.map { .integer(Int64($0)) })
    }

    static func strings(_ values: [String]) -> JSONValue {
        .array(values.map(JSONValue.string))
    }
}
