import Hummingbird
import SchemaRegistry

/// Confluent Schema Registry's REST API over a ``SchemaStore``, plus the
/// broker's `GET /metrics` and `GET /health` on the same listener.
///
/// Responses use `application/vnd.schemaregistry.v1+json`; request bodies are
/// read as JSON whatever their declared type (Confluent's and plain
/// `application/json` clients both work) and bounded to 16 MiB. Every failure
/// answers `{"error_code": …, "message": …}`.
///
/// ```swift
/// let router = Router()
/// SchemaRegistryRouter(store: store, metrics: { render() }).addRoutes(to: router)
/// ```
public struct SchemaRegistryRouter: Sendable {
    /// The registry served.
    public let store: SchemaStore
    /// Renders `GET /metrics` (Prometheus text format); the route is absent when `nil`.
    public let metrics: (@Sendable () async -> String)?
    /// Answers `GET /health`: 200 `{"status":"UP"}` when `true`, 503 `{"status":"DOWN"}` otherwise.
    public let health: @Sendable () async -> Bool

    public init(
        store: SchemaStore,
        metrics: (@Sendable () async -> String)? = nil,
        health: @escaping @Sendable () async -> Bool = { true }
    ) {
        self.store = store
        self.metrics = metrics
        self.health = health
    }

    /// Adds every route to `router`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/") { _, _ in RegistryHTTP.json(.object([])) }
        addSubjectRoutes(to: router)
        addSchemaRoutes(to: router)
        addCompatibilityRoutes(to: router)
        addConfigRoutes(to: router)
        addModeRoutes(to: router)
        addOperationalRoutes(to: router)
    }

    private func addOperationalRoutes<Context: RequestContext>(to router: Router<Context>) {
        if let metrics {
            router.get("/metrics") { _, _ in
                RegistryHTTP.text(await metrics(), contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        }
        router.get("/health") { _, _ in
            let up = await health()
            return RegistryHTTP.json(.object([(key: "status", value: .string(up ? "UP" : "DOWN"))]), status: up ? 200 : 503)
        }
    }
}
