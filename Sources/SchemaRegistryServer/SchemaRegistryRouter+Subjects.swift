import Hummingbird
import SchemaRegistry

extension SchemaRegistryRouter {
    /// `/subjects…`: list, register, look up, read and delete versions.
    func addSubjectRoutes<Context: RequestContext>(to router: Router<Context>) {
        let store = self.store

        router.get("/subjects") { request, _ in
            await RegistryHTTP.respond {
                let names = await store.subjects(
                    includeDeleted: RegistryHTTP.flag("deleted", request),
                    prefix: RegistryHTTP.query("subjectPrefix", request)
                )
                return RegistryHTTP.json(RegistryHTTP.strings(names))
            }
        }

        router.get("/subjects/:subject/versions") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                let versions = try await store.versions(subject: subject, includeDeleted: RegistryHTTP.flag("deleted", request))
                return RegistryHTTP.json(RegistryHTTP.integers(versions))
            }
        }

        router.post("/subjects/:subject/versions") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                let body = try SchemaRequest(json: try await RegistryHTTP.jsonBody(request))
                let id = try await store.register(
                    subject: subject, schema: body.schema, format: body.format,
                    references: body.references, id: body.id, version: body.version
                )
                return RegistryHTTP.json(.object([(key: "id", value: .integer(Int64(id)))]))
            }
        }

        router.post("/subjects/:subject") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                let body = try SchemaRequest(json: try await RegistryHTTP.jsonBody(request))
                let found = try await store.lookup(
                    subject: subject, schema: body.schema, format: body.format,
                    references: body.references, includeDeleted: RegistryHTTP.flag("deleted", request)
                )
                return RegistryHTTP.json(RegistryHTTP.versionJSON(found))
            }
        }

        router.delete("/subjects/:subject") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                let deleted = try await store.deleteSubject(subject, permanent: RegistryHTTP.flag("permanent", request))
                return RegistryHTTP.json(RegistryHTTP.integers(deleted))
            }
        }

        router.get("/subjects/:subject/versions/:version") { request, context in
            await RegistryHTTP.respond {
                let version = try await fetchVersion(request, context.parameters)
                return RegistryHTTP.json(RegistryHTTP.versionJSON(version))
            }
        }

        router.get("/subjects/:subject/versions/:version/schema") { request, context in
            await RegistryHTTP.respond {
                let version = try await fetchVersion(request, context.parameters)
                return RegistryHTTP.text(version.schema.schema, contentType: RegistryHTTP.contentType)
            }
        }

        router.get("/subjects/:subject/versions/:version/referencedby") { request, context in
            await RegistryHTTP.respond {
                let version = try await fetchVersion(request, context.parameters)
                let ids = await store.referencedBy(subject: version.subject, version: version.version)
                return RegistryHTTP.json(RegistryHTTP.integers(ids.map(Int.init)))
            }
        }

        router.delete("/subjects/:subject/versions/:version") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.parameter("subject", context.parameters)
                let selector = try RegistryHTTP.version(context.parameters)
                let deleted = try await store.deleteVersion(
                    subject: subject, selector, permanent: RegistryHTTP.flag("permanent", request)
                )
                return RegistryHTTP.json(.integer(Int64(deleted)))
            }
        }
    }

    /// The version a `/subjects/{subject}/versions/{version}` path names (`?deleted=true` includes soft-deleted ones).
    private func fetchVersion(_ request: Request, _ parameters: Parameters) async throws(RegistryError) -> SchemaVersion {
        let subject = try RegistryHTTP.parameter("subject", parameters)
        let selector = try RegistryHTTP.version(parameters)
        return try await store.version(subject: subject, selector, includeDeleted: RegistryHTTP.flag("deleted", request))
    }
}
