import Hummingbird
import Logging

/// Builds the registry's HTTP application (Confluent REST API, `/metrics`,
/// `/health`), ready to run alone (`try await app.runService()`) or inside the
/// broker's `ServiceGroup`.
///
/// - Parameters:
///   - store: the registry served.
///   - host, port: the listener (`eventd --registry-listen`, default 127.0.0.1:8081).
///   - logger: the server's logger.
///   - metrics: renders `GET /metrics` in Prometheus text format; route absent when `nil`.
///   - health: answers `GET /health` (200 UP / 503 DOWN).
///   - extraRoutes: adds further routes to the same router before the app is built.
public func makeRegistryApplication(
    store: SchemaStore,
    host: String = "127.0.0.1",
    port: Int = 8081,
    logger: Logger = Logger(label: "schema-registry"),
    metrics: (@Sendable () async -> String)? = nil,
    health: @escaping @Sendable () async -> Bool = { true },
    extraRoutes: (Router<BasicRequestContext>) -> Void = { _ in }
) -> Application<RouterResponder<BasicRequestContext>> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: RegistryErrorMiddleware())
    SchemaRegistryRouter(store: store, metrics: metrics, health: health).addRoutes(to: router)
    extraRoutes(router)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "ComplianceLog-SchemaRegistry"),
        logger: logger
    )
}
