import Dispatch

/// Runs a blocking librdkafka call (flush, commit, admin request, metadata) off the Swift
/// concurrency pool, whose few threads must never block, and resumes the caller with its result.
func offload<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Swift.Result { try body() })
        }
    }
}
