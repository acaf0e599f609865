import NIOCore

/// Per-listener protections against clients that hold resources: how many connections may be
/// open, how many request bytes one connection may have waiting for their responses, and how
/// long a frame may stay half-received.
///
/// Each limit is enforced by its own channel handler (``ConnectionLimitHandler``,
/// ``InFlightLimitHandler``, ``PartialFrameTimeoutHandler``); the request size limit is
/// ``BrokerConfiguration/maxFrameSize``, enforced by the frame decoder.
public struct ConnectionLimits: Sendable {
    /// Connections beyond this many are closed right after they are accepted.
    public var maxConnections: Int
    /// Once the requests of one connection that are not yet answered (or whose responses are not
    /// yet written to the socket) add up to this many bytes, the broker stops reading from that
    /// connection until they drop below it again. Backpressure, not disconnection.
    public var maxInFlightBytes: Int
    /// A connection that started a frame and has not sent all of it within this time is closed
    /// (slowloris). Complete frames, however slow, and idle connections are not affected.
    public var partialFrameTimeoutMs: Int64

    public init(maxConnections: Int = 1_000, maxInFlightBytes: Int = 16 * 1024 * 1024, partialFrameTimeoutMs: Int64 = 30_000) {
        self.maxConnections = maxConnections
        self.maxInFlightBytes = maxInFlightBytes
        self.partialFrameTimeoutMs = partialFrameTimeoutMs
    }
}
