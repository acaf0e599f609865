import SchemaRegistry
import Testing
@testable import SchemaRegistryServer

@Suite struct SchemaStoreTests {
    @Test func sameSchemaTwiceReturnsSameIDWithoutNewVersion() async throws {
        let store = SchemaStore()
        let first = try await store.register(subject: "a", schema: Fixtures.paymentV1)
        // Whitespace differences do not make a different schema.
        let pretty = Fixtures.paymentV1.replacingOccurrences(of: ",", with: ",\n  ")
        let second = try await store.register(subject: "a", schema: pretty)
        #expect(first == second)
        #expect(try await store.versions(subject: "a") == [1])
    }

    @Test func sameSchemaOnTwoSubjectsSharesID() async throws {
        let store = SchemaStore()
        let a = try await store.register(subject: "a", schema: Fixtures.paymentV1)
        let b = try await store.register(subject: "b", schema: Fixtures.paymentV1)
        let c = try await store.register(subject: "c", schema: Fixtures.jsonSchema, format: .json)
        #expect(a == b)
        #expect(c != a)
        #expect(await store.subjectVersions(id: a).map(\.subject) == ["a", "b"])
    }

    @Test func backwardRefusesFieldWithoutDefault() async throws {
        let store = SchemaStore()
        try await store.register(subject: "p", schema: Fixtures.paymentV1)
        await #expect(throws: RegistryError.self) {
            try await store.register(subject: "p", schema: Fixtures.paymentNoDefault)
        }
        do {
            try await store.register(subject: "p", schema: Fixtures.paymentNoDefault)
        } catch {
            #expect(error.code == 40901)
            #expect(error.message.contains("BACKWARD"))
        }
        #expect(try await store.register(subject: "p", schema: Fixtures.paymentV2) == 2)
        #expect(try await store.versions(subject: "p") == [1, 2])
    }

    @Test func subjectLevelOverridesGlobal() async throws {
        let store = SchemaStore()
        try await store.setCompatibility(.full)
        try await store.setCompatibility(.none, subject: "free")
        try await store.register(subject: "free", schema: Fixtures.paymentV1)
        try await store.register(subject: "free", schema: Fixtures.paymentNoDefault)
        #expect(await store.effectiveCompatibility(subject: "free") == .none)
        #expect(await store.effectiveCompatibility(subject: "other") == .full)
        #expect(try await store.deleteCompatibility(subject: "free") == .none)
        #expect(await store.effectiveCompatibility(subject: "free") == .full)
    }

    @Test func readOnlyRefusesRegistration() async throws {
        let store = SchemaStore()
        try await store.setMode(.readOnly, subject: "locked")
        do {
            try await store.register(subject: "locked", schema: Fixtures.paymentV1)
            Issue.record("registration in READONLY mode succeeded")
        } catch {
            #expect(error.code == 42205)
        }
        try await store.register(subject: "open", schema: Fixtures.paymentV1)
    }

    @Test func softThenPermanentDelete() async throws {
        let store = SchemaStore()
        let id = try await store.register(subject: "s", schema: Fixtures.paymentV1)
        try await store.register(subject: "s", schema: Fixtures.paymentV2)

        await #expect(throws: RegistryError.subjectNotSoftDeleted("s")) { try await store.deleteSubject("s", permanent: true) }
        #expect(try await store.deleteSubject("s") == [1, 2])
        await #expect(throws: RegistryError.subjectSoftDeleted("s")) { try await store.deleteSubject("s") }
        #expect(await store.subjects() == [])
        #expect(await store.subjects(includeDeleted: true) == ["s"])
        // Soft-deleted schemas still resolve by id (consumers need them).
        #expect(await store.schema(id: id) != nil)
        #expect(await store.isRegistered(id: id, subject: "s") == false)

        #expect(try await store.deleteSubject("s", permanent: true) == [1, 2])
        #expect(await store.schema(id: id) == nil)
        await #expect(throws: RegistryError.subjectNotFound("s")) { try await store.deleteSubject("s") }
    }

    @Test func versionDeleteRules() async throws {
        let store = SchemaStore()
        try await store.register(subject: "s", schema: Fixtures.paymentV1)
        try await store.register(subject: "s", schema: Fixtures.paymentV2)
        await #expect(throws: RegistryError.versionNotSoftDeleted("s", 1)) {
            try await store.deleteVersion(subject: "s", .number(1), permanent: true)
        }
        #expect(try await store.deleteVersion(subject: "s", .number(1)) == 1)
        await #expect(throws: RegistryError.versionSoftDeleted("s", 1)) { try await store.deleteVersion(subject: "s", .number(1)) }
        #expect(try await store.versions(subject: "s") == [2])
        #expect(try await store.versions(subject: "s", includeDeleted: true) == [1, 2])
        #expect(try await store.deleteVersion(subject: "s", .number(1), permanent: true) == 1)
        await #expect(throws: RegistryError.versionNotFound(3)) { try await store.deleteVersion(subject: "s", .number(3)) }
        // The next version continues after the highest number, soft-deleted or not.
        try await store.register(subject: "s", schema: Fixtures.paymentV1)
        #expect(try await store.versions(subject: "s") == [2, 3])
    }

    @Test func registrationIsAcknowledgedOnlyAfterAppend() async throws {
        let store = SchemaStore(log: FailingSchemaLog())
        await #expect(throws: RegistryError.self) { try await store.register(subject: "s", schema: Fixtures.paymentV1) }
        #expect(await store.subjects() == [])
        #expect(store.validator(forID: 1) == nil)
    }

    @Test func persistenceRoundTrip() async throws {
        let log = InMemorySchemaLog()
        let store = SchemaStore(log: log)
        try await store.setCompatibility(.forward)
        try await store.setCompatibility(.none, subject: "b")
        try await store.setMode(.readOnly, subject: "frozen")
        let a1 = try await store.register(subject: "a", schema: Fixtures.paymentV1)
        try await store.register(subject: "a", schema: Fixtures.paymentV2)
        let b1 = try await store.register(subject: "b", schema: Fixtures.jsonSchema, format: .json,
                                          references: [SchemaReference(name: "x", subject: "a", version: 1)])
        try await store.register(subject: "b", schema: Fixtures.paymentV1)
        try await store.register(subject: "gone", schema: Fixtures.paymentV2)
        _ = try await store.deleteSubject("gone")
        _ = try await store.deleteSubject("gone", permanent: true)
        try await store.register(subject: "c", schema: Fixtures.paymentV2)
        _ = try await store.deleteVersion(subject: "a", .number(1))

        let restored = SchemaStore()
        #expect(await restored.restore(from: log.entries) == log.entries.count)

        #expect(await restored.subjects(includeDeleted: true) == (await store.subjects(includeDeleted: true)))
        for subject in await store.subjects(includeDeleted: true) {
            let original = try await store.versions(subject: subject, includeDeleted: true)
            #expect(try await restored.versions(subject: subject, includeDeleted: true) == original)
            for v in original {
                #expect(try await restored.version(subject: subject, .number(v), includeDeleted: true)
                    == (try await store.version(subject: subject, .number(v), includeDeleted: true)))
            }
        }
        #expect(await restored.compatibility() == .forward)
        #expect(await restored.compatibility(subject: "b") == CompatibilityLevel.none)
        #expect(await restored.mode(subject: "frozen") == .readOnly)
        #expect(await restored.schema(id: b1)?.references.count == 1)
        #expect(restored.validator(forID: a1) != nil)
        // New ids continue after the replayed ones, exactly as in the original.
        let next = try await restored.register(subject: "d", schema: #"{"type":"enum","name":"E","symbols":["A"]}"#)
        let nextOriginal = try await store.register(subject: "d", schema: #"{"type":"enum","name":"E","symbols":["A"]}"#)
        #expect(next == nextOriginal)
    }

    @Test func logEntriesUseConfluentLayout() async throws {
        let log = InMemorySchemaLog()
        let store = SchemaStore(log: log)
        try await store.register(subject: "t-value", schema: Fixtures.jsonSchema, format: .json)
        let entry = try #require(log.entries.first)
        let key = try JSONValue.parse(String(decoding: entry.key, as: UTF8.self))
        let value = try JSONValue.parse(String(decoding: try #require(entry.value), as: UTF8.self))
        #expect(key["keytype"] == .string("SCHEMA"))
        #expect(key["subject"] == .string("t-value"))
        #expect(key["version"]?.int64Value == 1)
        #expect(key["magic"]?.int64Value == 1)
        #expect(value["id"]?.int64Value == 1)
        #expect(value["schemaType"] == .string("JSON"))
        #expect(value["deleted"] == .bool(false))
    }

    @Test func validatorCacheFollowsChanges() async throws {
        let store = SchemaStore()
        let id = try await store.register(subject: "p-value", schema: Fixtures.paymentV1)
        let validator = try #require(store.validator(forID: id, subject: "p-value"))
        #expect(validator.validate(payload: [0x02, UInt8(ascii: "x")]).isEmpty)  // id = "x"
        #expect(!validator.validate(payload: [0x04, UInt8(ascii: "x")]).isEmpty)  // truncated
        #expect(store.validator(forID: id, subject: "other") == nil)

        let jsonID = try await store.register(subject: "j", schema: Fixtures.jsonSchema, format: .json)
        let json = try #require(store.validator(forID: jsonID))
        #expect(json.validate(payload: Array(#"{"id":"1"}"#.utf8)).isEmpty)
        #expect(!json.validate(payload: Array(#"{"ID":"1"}"#.utf8)).isEmpty)
        #expect(!json.validate(payload: Array("not json".utf8)).isEmpty)

        _ = try await store.deleteSubject("p-value")
        #expect(store.validator(forID: id, subject: "p-value") == nil)
        #expect(store.validator(forID: id) != nil)
    }

    @Test func wireFormatRoundTrip() throws {
        let framed = ConfluentWireFormat.frame(schemaID: 258, payload: [7, 8])
        #expect(framed == [0, 0, 0, 1, 2, 7, 8])
        let (id, payload) = try #require(ConfluentWireFormat.split(framed))
        #expect(id == 258)
        #expect(Array(payload) == [7, 8])
        #expect(ConfluentWireFormat.split([1, 0, 0, 0, 1]) == nil)
        #expect(ConfluentWireFormat.split([0, 0]) == nil)
    }

    @Test func concurrentRegistrationsGetDistinctVersions() async throws {
        let store = SchemaStore()
        try await store.setCompatibility(.none)
        let ids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for i in 0..<20 {
                group.addTask {
                    try await store.register(subject: "c", schema: #"{"type":"enum","name":"E\#(i)","symbols":["A"]}"#)
                }
            }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        #expect(ids.count == 20)
        #expect(try await store.versions(subject: "c") == Array(1...20))
    }
}
