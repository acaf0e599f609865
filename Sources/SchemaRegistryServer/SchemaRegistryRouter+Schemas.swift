import Hummingbird
import SchemaRegistry

extension SchemaRegistryRouter {
    /// `/schemas…`: schemas by global id, and the supported types.
    func addSchemaRoutes<Context: RequestContext>(to router: Router<Context>) {
        let store = self.store

        router.get("/schemas/types") { _, _ in
            RegistryHTTP.json(RegistryHTTP.strings(["JSON", "AVRO"]))
        }

        router.get("/schemas/ids/:id") { _, context in
            await RegistryHTTP.respond {
                RegistryHTTP.json(RegistryHTTP.schemaJSON(try await schema(context.parameters)))
            }
        }

        router.get("/schemas/ids/:id/schema") { _, context in
            await RegistryHTTP.respond {
                RegistryHTTP.text(try await schema(context.parameters).schema, contentType: RegistryHTTP.contentType)
            }
        }

        router.get("/schemas/ids/:id/subjects") { request, context in
            await RegistryHTTP.respond {
                let id = try await schema(context.parameters).id
                let uses = await store.subjectVersions(id: id, includeDeleted: RegistryHTTP.flag("deleted", request))
                var seen = Set<String>()
                return RegistryHTTP.json(RegistryHTTP.strings(uses.map(\.subject).filter { seen.insert($0).inserted }))
            }
        }

        router.get("/schemas/ids/:id/versions") { request, context in
            await RegistryHTTP.respond {
                let id = try await schema(context.parameters).id
                let uses = await store.subjectVersions(id: id, includeDeleted: RegistryHTTP.flag("deleted", request))
                return RegistryHTTP.json(.array(uses.map { use in
                    .object([
                        (key: "subject", value: .string(use.subject)),
                        (key: "version", value: .integer(Int64(use.version))),
                    ])
                }))
            }
        }
    }

    private func schema(_ parameters: Parameters) async throws(RegistryError) -> RegisteredSchema {
        let id = try RegistryHTTP.schemaID(parameters)
        guard let schema = await store.schema(id: id) else { throw .schemaNotFound(id: id) }
        return schema
    }
}
