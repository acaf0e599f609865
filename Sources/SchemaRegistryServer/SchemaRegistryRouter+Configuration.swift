import Hummingbird
import SchemaRegistry

extension SchemaRegistryRouter {
    /// `POST /compatibility/subjects/{s}/versions[/{v}]`: test without registering.
    func addCompatibilityRoutes<Context: RequestContext>(to router: Router<Context>) {
        let store = self.store

        @Sendable func test(_ request: Request, _ parameters: Parameters, version: VersionSelector?) async throws -> Response {
            let subject = try RegistryHTTP.parameter("subject", parameters)
            let body = try SchemaRequest(json: try await RegistryHTTP.jsonBody(request))
            let result = try await store.testCompatibility(
                subject: subject, version: version, schema: body.schema,
                format: body.format, references: body.references
            )
            var members: [(key: String, value: JSONValue)] = [(key: "is_compatible", value: .bool(result.isCompatible))]
            if RegistryHTTP.flag("verbose", request) {
                members.append((key: "messages", value: RegistryHTTP.strings(result.messages)))
            }
            return RegistryHTTP.json(.object(members))
        }

        router.post("/compatibility/subjects/:subject/versions/:version") { request, context in
            await RegistryHTTP.respond {
                try await test(request, context.parameters, version: try RegistryHTTP.version(context.parameters))
            }
        }
        router.post("/compatibility/subjects/:subject/versions") { request, context in
            await RegistryHTTP.respond { try await test(request, context.parameters, version: nil) }
        }
    }

    /// `/config` and `/config/{subject}`: compatibility levels.
    func addConfigRoutes<Context: RequestContext>(to router: Router<Context>) {
        let store = self.store

        @Sendable func levelJSON(_ key: String, _ level: CompatibilityLevel) -> Response {
            RegistryHTTP.json(.object([(key: key, value: .string(level.rawValue))]))
        }
        @Sendable func requestedLevel(_ request: Request) async throws(RegistryError) -> CompatibilityLevel {
            let body = try await RegistryHTTP.jsonBody(request)
            guard let name = body["compatibility"]?.stringValue,
                  let level = CompatibilityLevel(rawValue: name.uppercased())
            else { throw .invalidCompatibilityLevel }
            return level
        }

        router.get("/config") { _, _ in
            await RegistryHTTP.respond {
                levelJSON("compatibilityLevel", await store.compatibility() ?? RegistryState.defaultLevel)
            }
        }
        router.put("/config") { request, _ in
            await RegistryHTTP.respond {
                let level = try await requestedLevel(request)
                try await store.setCompatibility(level)
                return levelJSON("compatibility", level)
            }
        }
        router.delete("/config") { _, _ in
            await RegistryHTTP.respond { levelJSON("compatibilityLevel", try await store.deleteCompatibility()) }
        }
        router.get("/config/:subject") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                if let level = await store.compatibility(subject: subject) {
                    return levelJSON("compatibilityLevel", level)
                }
                guard RegistryHTTP.flag("defaultToGlobal", request) else {
                    throw RegistryError.subjectCompatibilityNotConfigured(subject)
                }
                return levelJSON("compatibilityLevel", await store.effectiveCompatibility(subject: subject))
            }
        }
        router.put("/config/:subject") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                let level = try await requestedLevel(request)
                try await store.setCompatibility(level, subject: subject)
                return levelJSON("compatibility", level)
            }
        }
        router.delete("/config/:subject") { _, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                return levelJSON("compatibilityLevel", try await store.deleteCompatibility(subject: subject))
            }
        }
    }

    /// `/mode` and `/mode/{subject}`: READWRITE, READONLY, IMPORT.
    func addModeRoutes<Context: RequestContext>(to router: Router<Context>) {
        let store = self.store

        @Sendable func modeJSON(_ mode: RegistryMode) -> Response {
            RegistryHTTP.json(.object([(key: "mode", value: .string(mode.rawValue))]))
        }
        @Sendable func requestedMode(_ request: Request) async throws(RegistryError) -> RegistryMode {
            let body = try await RegistryHTTP.jsonBody(request)
            guard let name = body["mode"]?.stringValue, let mode = RegistryMode(name: name) else { throw .invalidMode }
            return mode
        }

        router.get("/mode") { _, _ in
            await RegistryHTTP.respond { modeJSON(await store.mode() ?? .readWrite) }
        }
        router.put("/mode") { request, _ in
            await RegistryHTTP.respond {
                let mode = try await requestedMode(request)
                try await store.setMode(mode, force: RegistryHTTP.flag("force", request))
                return modeJSON(mode)
            }
        }
        router.get("/mode/:subject") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                if let mode = await store.mode(subject: subject) { return modeJSON(mode) }
                guard RegistryHTTP.flag("defaultToGlobal", request) else {
                    throw RegistryError.subjectModeNotConfigured(subject)
                }
                return modeJSON(await store.mode() ?? .readWrite)
            }
        }
        router.put("/mode/:subject") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                let mode = try await requestedMode(request)
                try await store.setMode(mode, subject: subject, force: RegistryHTTP.flag("force", request))
                return modeJSON(mode)
            }
        }
        router.delete("/mode/:subject") { _, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                return modeJSON(try await store.deleteMode(subject: subject))
            }
        }
    }
}
