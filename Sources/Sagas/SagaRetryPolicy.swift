import Foundation

/// How often and how fast a saga retries a command that failed or got no reply.
///
/// The delay before attempt `n + 1` is `min(maxBackoff, initialBackoff × multiplier^(n-1))`,
/// shortened by up to `jitter` of itself at random, so that many sagas failing at the same
/// moment do not all retry at the same moment.
public struct SagaRetryPolicy: Sendable, Hashable {
    /// Attempts of a forward action before its step counts as failed (at least 1).
    /// Compensations ignore it: they are retried until they succeed.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var multiplier: Double
    public var maxBackoff: Duration
    /// Fraction of the delay (0...1) that may be taken off at random.
    public var jitter: Double

    public init(maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(50), multiplier: Double = 2, maxBackoff: Duration = .seconds(5), jitter: Double = 0.5) {
        precondition(maxAttempts >= 1, "a step needs at least one attempt")
        precondition((0...1).contains(jitter), "jitter is a fraction between 0 and 1")
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.multiplier = multiplier
        self.maxBackoff = maxBackoff
        self.jitter = jitter
    }

    /// The wait after attempt `attempt` (1-based) failed.
    public func delay(afterAttempt attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let exponent = Double(max(0, attempt - 1))
        let base = min(maxBackoff.seconds, initialBackoff.seconds * pow(multiplier, exponent))
        let cut = jitter > 0 ? Double.random(in: 0..<jitter, using: &random) : 0
        return .milliseconds(Int64((base * (1 - cut) * 1000).rounded()))
    }
}

extension Duration {
    /// The duration in seconds, as `Date` arithmetic wants it.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension Date {
    static func + (date: Date, duration: Duration) -> Date {
        date.addingTimeInterval(duration.seconds)
    }
}
