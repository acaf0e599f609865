import Hummingbird

/// Gives framework-level failures (unknown route, wrong method) Confluent's
/// error shape, e.g. `{"error_code":404,"message":"HTTP 404 Not Found"}`.
struct RegistryErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        await RegistryHTTP.respond {
            do {
                return try await next(request, context)
            } catch let error as HTTPError where error.body == nil {
                throw RegistryError(code: Int(error.status.code), message: "HTTP \(error.status.code) \(error.status.reasonPhrase)")
            }
        }
    }
}
