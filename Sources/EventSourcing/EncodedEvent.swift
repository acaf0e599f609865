/// A payload as an ``EventCodec`` produced it.
public struct EncodedEvent: Sendable, Hashable {
    public var payload: [UInt8]
    /// Registry subject and version of the payload's schema, when it was written with one.
    public var schemaSubject: String?
    public var schemaVersion: Int32?

    public init(payload: [UInt8], schemaSubject: String? = nil, schemaVersion: Int32? = nil) {
        self.payload = payload
        self.schemaSubject = schemaSubject
        self.schemaVersion = schemaVersion
    }
}
