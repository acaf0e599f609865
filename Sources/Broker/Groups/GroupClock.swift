/// The coordinator's source of time, injected so tests drive it by hand.
///
/// One clock serves both deadlines and commit timestamps; commit timestamps are wall-clock
/// milliseconds since the Unix epoch (Kafka's `commitTimestamp`), so the clock is too.
protocol GroupClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMilliseconds() -> Int64
}
