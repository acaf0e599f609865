import Hummingbird
import HummingbirdTesting
import SchemaRegistry
import Testing
@testable import SchemaRegistryServer

@Suite struct RegistryRoutesTests {
    let contentType = "application/vnd.schemaregistry.v1+json"
    let jsonHeaders: HTTPFields = [.contentType: "application/vnd.schemaregistry.v1+json"]

    func makeApp(_ store: SchemaStore = SchemaStore()) -> some ApplicationProtocol {
        makeRegistryApplication(
            store: store,
            metrics: { "registry_schemas 3\n" },
            health: { true }
        )
    }

    @Test func registerReadAndLookUp() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/subjects/pay-value/versions", method: .post, headers: jsonHeaders,
                                     body: Fixtures.body(Fixtures.paymentV1)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == contentType)
                #expect(Fixtures.json(response) == .object([(key: "id", value: .integer(1))]))
            }
            // Plain application/json clients work too; same schema → same id.
            try await client.execute(uri: "/subjects/pay-value/versions", method: .post,
                                     headers: [.contentType: "application/json"],
                                     body: Fixtures.body(Fixtures.paymentV1)) { response in
                #expect(Fixtures.json(response)["id"]?.int64Value == 1)
            }
            try await client.execute(uri: "/subjects", method: .get) { response in
                #expect(Fixtures.json(response) == .array([.string("pay-value")]))
            }
            try await client.execute(uri: "/subjects/pay-value/versions", method: .get) { response in
                #expect(Fixtures.json(response) == .array([.integer(1)]))
            }
            for path in ["/subjects/pay-value/versions/1", "/subjects/pay-value/versions/latest", "/subjects/pay-value/versions/-1"] {
                try await client.execute(uri: path, method: .get) { response in
                    let json = Fixtures.json(response)
                    #expect(json["subject"] == .string("pay-value"))
                    #expect(json["version"]?.int64Value == 1)
                    #expect(json["id"]?.int64Value == 1)
                    #expect(json["schemaType"] == nil)
                    #expect(json["schema"] == .string(Fixtures.paymentV1))
                }
            }
            try await client.execute(uri: "/subjects/pay-value/versions/1/schema", method: .get) { response in
                #expect(String(buffer: response.body) == Fixtures.paymentV1)
            }
            try await client.execute(uri: "/subjects/pay-value", method: .post, body: Fixtures.body(Fixtures.paymentV1)) { response in
                let json = Fixtures.json(response)
                #expect(json["version"]?.int64Value == 1)
                #expect(json["id"]?.int64Value == 1)
            }
            try await client.execute(uri: "/subjects/pay-value", method: .post, body: Fixtures.body(Fixtures.paymentV2)) { response in
                #expect(response.status == .notFound)
                #expect(Fixtures.errorCode(response) == 40403)
            }
            try await client.execute(uri: "/subjects/pay-value/versions/1/referencedby", method: .get) { response in
                #expect(Fixtures.json(response) == .array([]))
            }
        }
    }

    @Test func schemasByID() async throws {
        let store = SchemaStore()
        try await store.register(subject: "a", schema: Fixtures.jsonSchema, format: .json)
        try await store.register(subject: "b", schema: Fixtures.jsonSchema, format: .json)
        try await makeApp(store).test(.router) { client in
            try await client.execute(uri: "/schemas/ids/1", method: .get) { response in
                let json = Fixtures.json(response)
                #expect(json["schemaType"] == .string("JSON"))
                #expect(json["schema"] == .string(Fixtures.jsonSchema))
            }
            try await client.execute(uri: "/schemas/ids/1/schema", method: .get) { response in
                #expect(String(buffer: response.body) == Fixtures.jsonSchema)
            }
            try await client.execute(uri: "/schemas/ids/1/subjects", method: .get) { response in
                #expect(Fixtures.json(response) == .array([.string("a"), .string("b")]))
            }
            try await client.execute(uri: "/schemas/ids/1/versions", method: .get) { response in
                #expect(Fixtures.json(response) == (Fixtures.parse(#"[{"subject":"a","version":1},{"subject":"b","version":1}]"#)))
            }
            try await client.execute(uri: "/schemas/ids/42", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(Fixtures.json(response) == (Fixtures.parse(#"{"error_code":40403,"message":"Schema 42 not found"}"#)))
            }
            try await client.execute(uri: "/schemas/types", method: .get) { response in
                #expect(Fixtures.json(response) == .array([.string("JSON"), .string("AVRO")]))
            }
        }
    }

    @Test func notFoundErrors() async throws {
        let store = SchemaStore()
        try await store.register(subject: "s", schema: Fixtures.paymentV1)
        try await makeApp(store).test(.router) { client in
            try await client.execute(uri: "/subjects/nope/versions", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(Fixtures.json(response) == (Fixtures.parse(#"{"error_code":40401,"message":"Subject 'nope' not found."}"#)))
            }
            try await client.execute(uri: "/subjects/nope/versions/1", method: .get) { response in
                #expect(Fixtures.errorCode(response) == 40401)
            }
            try await client.execute(uri: "/subjects/s/versions/7", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(Fixtures.errorCode(response) == 40402)
            }
            for bad in ["0", "abc", "99999999999"] {
                try await client.execute(uri: "/subjects/s/versions/\(bad)", method: .get) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(Fixtures.errorCode(response) == 42202)
                }
            }
            try await client.execute(uri: "/no/such/route", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(Fixtures.errorCode(response) == 404)
            }
        }
    }

    @Test func incompatibleSchemaIs409() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/subjects/p/versions", method: .post, body: Fixtures.body(Fixtures.paymentV1)) { _ in }
            try await client.execute(uri: "/subjects/p/versions", method: .post, body: Fixtures.body(Fixtures.paymentNoDefault)) { response in
                #expect(response.status == .conflict)
                let json = Fixtures.json(response)
                #expect(json["error_code"]?.int64Value == 40901)
                #expect(json["message"]?.stringValue?.contains("amount") == true)
            }
            try await client.execute(uri: "/compatibility/subjects/p/versions/latest?verbose=true", method: .post,
                                     body: Fixtures.body(Fixtures.paymentNoDefault)) { response in
                let json = Fixtures.json(response)
                #expect(json["is_compatible"] == .bool(false))
                #expect(json["messages"]?.arrayValue?.isEmpty == false)
            }
            try await client.execute(uri: "/compatibility/subjects/p/versions/latest", method: .post,
                                     body: Fixtures.body(Fixtures.paymentV2)) { response in
                #expect(Fixtures.json(response) == .object([(key: "is_compatible", value: .bool(true))]))
            }
            try await client.execute(uri: "/compatibility/subjects/p/versions", method: .post,
                                     body: Fixtures.body(Fixtures.paymentV2)) { response in
                #expect(Fixtures.json(response)["is_compatible"] == .bool(true))
            }
            try await client.execute(uri: "/compatibility/subjects/p/versions/9", method: .post,
                                     body: Fixtures.body(Fixtures.paymentV2)) { response in
                #expect(Fixtures.errorCode(response) == 40402)
            }
            try await client.execute(uri: "/compatibility/subjects/none/versions/latest", method: .post,
                                     body: Fixtures.body(Fixtures.paymentV2)) { response in
                #expect(Fixtures.errorCode(response) == 40401)
            }
        }
    }

    @Test func invalidSchemasAndBodies() async throws {
        try await makeApp().test(.router) { client in
            let cases: [(body: String, status: HTTPResponse.Status, code: Int64)] = [
                (#"{"schema":"{\"type\":\"record\"}"}"#, .unprocessableContent, 42201),       // Avro record without name
                (#"{"schema":"not json"}"#, .unprocessableContent, 42201),
                (#"{"schema":"{}","schemaType":"PROTOBUF"}"#, .unprocessableContent, 42201),
                (#"{"schema":"{}","schemaType":"XML"}"#, .unprocessableContent, 42201),
                (#"{"schemaType":"JSON"}"#, .unprocessableContent, 42201),
                (#"{"schema":42}"#, .unprocessableContent, 422),
                (#"{"schema":"\"string\"","references":"x"}"#, .unprocessableContent, 422),
                (#"["schema"]"#, .unprocessableContent, 422),
                (#"{"schema": "#, .badRequest, 400),
                ("", .badRequest, 400),
                (String(repeating: "[", count: 10_000), .badRequest, 400),
            ]
            for c in cases {
                try await client.execute(uri: "/subjects/x/versions", method: .post, body: ByteBuffer(string: c.body)) { response in
                    #expect(response.status == c.status, "\(c.body.prefix(60))")
                    #expect(Fixtures.errorCode(response) == c.code, "\(c.body.prefix(60))")
                }
            }
            try await client.execute(uri: "/subjects", method: .get) { response in
                #expect(Fixtures.json(response) == .array([]))
            }
        }
    }

    @Test func oversizedBodyIsRefused() async throws {
        try await makeApp().test(.router) { client in
            let huge = ByteBuffer(repeating: UInt8(ascii: " "), count: RegistryHTTP.maxBodySize + 1)
            try await client.execute(uri: "/subjects/x/versions", method: .post, body: huge) { response in
                #expect(response.status == .contentTooLarge)
                #expect(Fixtures.errorCode(response) == 413)
            }
        }
    }

    @Test func deleteRules() async throws {
        let store = SchemaStore()
        try await store.register(subject: "s", schema: Fixtures.paymentV1)
        try await store.register(subject: "s", schema: Fixtures.paymentV2)
        try await makeApp(store).test(.router) { client in
            try await client.execute(uri: "/subjects/s?permanent=true", method: .delete) { response in
                #expect(response.status == .notFound)
                #expect(Fixtures.errorCode(response) == 40405)
            }
            try await client.execute(uri: "/subjects/s/versions/2", method: .delete) { response in
                #expect(Fixtures.json(response) == .integer(2))
            }
            try await client.execute(uri: "/subjects/s/versions/2", method: .delete) { response in
                #expect(Fixtures.errorCode(response) == 40406)
            }
            try await client.execute(uri: "/subjects/s/versions/1?permanent=true", method: .delete) { response in
                #expect(Fixtures.errorCode(response) == 40407)
            }
            try await client.execute(uri: "/subjects/s/versions/2?deleted=true", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/subjects/s/versions/2", method: .get) { response in
                #expect(Fixtures.errorCode(response) == 40402)
            }
            try await client.execute(uri: "/subjects/s", method: .delete) { response in
                #expect(Fixtures.json(response) == .array([.integer(1)]))
            }
            try await client.execute(uri: "/subjects/s", method: .delete) { response in
                #expect(Fixtures.errorCode(response) == 40404)
            }
            try await client.execute(uri: "/subjects?deleted=true", method: .get) { response in
                #expect(Fixtures.json(response) == .array([.string("s")]))
            }
            try await client.execute(uri: "/subjects/s?permanent=true", method: .delete) { response in
                #expect(Fixtures.json(response) == .array([.integer(1), .integer(2)]))
            }
            try await client.execute(uri: "/subjects/s", method: .delete) { response in
                #expect(Fixtures.errorCode(response) == 40401)
            }
        }
    }

    @Test func configAndMode() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/config", method: .get) { response in
                #expect(Fixtures.json(response) == .object([(key: "compatibilityLevel", value: .string("BACKWARD"))]))
            }
            try await client.execute(uri: "/config", method: .put, body: ByteBuffer(string: #"{"compatibility":"FULL"}"#)) { response in
                #expect(Fixtures.json(response) == .object([(key: "compatibility", value: .string("FULL"))]))
            }
            try await client.execute(uri: "/config", method: .put, body: ByteBuffer(string: #"{"compatibility":"SIDEWAYS"}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Fixtures.errorCode(response) == 42203)
            }
            try await client.execute(uri: "/config/p", method: .get) { response in
                #expect(Fixtures.errorCode(response) == 40408)
            }
            try await client.execute(uri: "/config/p?defaultToGlobal=true", method: .get) { response in
                #expect(Fixtures.json(response)["compatibilityLevel"] == .string("FULL"))
            }
            try await client.execute(uri: "/config/p", method: .put, body: ByteBuffer(string: #"{"compatibility":"none"}"#)) { response in
                #expect(Fixtures.json(response)["compatibility"] == .string("NONE"))
            }
            // The subject's NONE overrides the global FULL.
            try await client.execute(uri: "/subjects/p/versions", method: .post, body: Fixtures.body(Fixtures.paymentV1)) { _ in }
            try await client.execute(uri: "/subjects/p/versions", method: .post, body: Fixtures.body(Fixtures.paymentNoDefault)) { response in
                #expect(Fixtures.json(response)["id"]?.int64Value == 2)
            }
            try await client.execute(uri: "/config/p", method: .delete) { response in
                #expect(Fixtures.json(response)["compatibilityLevel"] == .string("NONE"))
            }
            try await client.execute(uri: "/config/p", method: .delete) { response in
                #expect(Fixtures.errorCode(response) == 40408)
            }

            try await client.execute(uri: "/mode", method: .get) { response in
                #expect(Fixtures.json(response) == .object([(key: "mode", value: .string("READWRITE"))]))
            }
            try await client.execute(uri: "/mode/p", method: .put, body: ByteBuffer(string: #"{"mode":"READONLY"}"#)) { response in
                #expect(Fixtures.json(response)["mode"] == .string("READONLY"))
            }
            try await client.execute(uri: "/subjects/p/versions", method: .post, body: Fixtures.body(Fixtures.paymentV2)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Fixtures.errorCode(response) == 42205)
            }
            try await client.execute(uri: "/subjects/p", method: .delete) { response in
                #expect(Fixtures.errorCode(response) == 42205)
            }
            try await client.execute(uri: "/mode/p", method: .get) { response in
                #expect(Fixtures.json(response)["mode"] == .string("READONLY"))
            }
            try await client.execute(uri: "/mode/q", method: .get) { response in
                #expect(Fixtures.errorCode(response) == 40409)
            }
            try await client.execute(uri: "/mode", method: .put, body: ByteBuffer(string: #"{"mode":"SOMETIMES"}"#)) { response in
                #expect(Fixtures.errorCode(response) == 42204)
            }
            try await client.execute(uri: "/mode", method: .put, body: ByteBuffer(string: #"{"mode":"IMPORT"}"#)) { response in
                #expect(Fixtures.errorCode(response) == 42205)  // subjects exist
            }
            try await client.execute(uri: "/mode/p", method: .delete) { response in
                #expect(Fixtures.json(response)["mode"] == .string("READONLY"))
            }
            try await client.execute(uri: "/subjects/p/versions", method: .post, body: Fixtures.body(Fixtures.paymentV2)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func importModeKeepsGivenIDs() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/mode", method: .put, body: ByteBuffer(string: #"{"mode":"IMPORT"}"#)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/subjects/m/versions", method: .post,
                                     body: Fixtures.body(Fixtures.paymentV1, extra: #""id":100,"version":3"#)) { response in
                #expect(Fixtures.json(response)["id"]?.int64Value == 100)
            }
            try await client.execute(uri: "/subjects/m/versions/3", method: .get) { response in
                #expect(Fixtures.json(response)["id"]?.int64Value == 100)
            }
            try await client.execute(uri: "/mode", method: .put, body: ByteBuffer(string: #"{"mode":"READWRITE"}"#)) { _ in }
            try await client.execute(uri: "/subjects/m/versions", method: .post,
                                     body: Fixtures.body(Fixtures.paymentV2, extra: #""id":7"#)) { response in
                #expect(Fixtures.errorCode(response) == 42205)
            }
            try await client.execute(uri: "/subjects/m/versions", method: .post, body: Fixtures.body(Fixtures.paymentV2)) { response in
                #expect(Fixtures.json(response)["id"]?.int64Value == 101)
            }
        }
    }

    @Test func metricsHealthAndExtraRoutes() async throws {
        let app = makeRegistryApplication(
            store: SchemaStore(),
            metrics: { "registry_schemas 3\n" },
            health: { false },
            extraRoutes: { router in router.get("/extra") { _, _ in "hi" } }
        )
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(String(buffer: response.body) == "registry_schemas 3\n")
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(Fixtures.json(response)["status"] == .string("DOWN"))
            }
            try await client.execute(uri: "/extra", method: .get) { response in
                #expect(String(buffer: response.body) == "hi")
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(String(buffer: response.body) == "{}")
            }
        }
    }

    @Test func percentEncodedSubjects() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/subjects/a%2Fb%20c/versions", method: .post, body: Fixtures.body(Fixtures.paymentV1)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/subjects", method: .get) { response in
                #expect(Fixtures.json(response) == .array([.string("a/b c")]))
            }
        }
    }

    @Test func storeFailureIs50001() async throws {
        try await makeApp(SchemaStore(log: FailingSchemaLog())).test(.router) { client in
            try await client.execute(uri: "/subjects/s/versions", method: .post, body: Fixtures.body(Fixtures.paymentV1)) { response in
                #expect(response.status == .internalServerError)
                #expect(Fixtures.errorCode(response) == 50001)
            }
        }
    }
}
