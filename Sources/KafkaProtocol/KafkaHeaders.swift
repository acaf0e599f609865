import NIOCore

extension ApiKey {
    /// Valid versions of this API (request and response agree).
    public var validVersions: ClosedRange<Int16> { requestType.validVersions }

    /// First flexible version of this API, or nil when no version is flexible.
    public var flexibleVersionsStart: Int16? { requestType.flexibleVersionsStart }

    /// Whether `apiVersion` of this API uses the flexible encoding.
    public func isFlexible(_ apiVersion: Int16) -> Bool {
        guard let start = flexibleVersionsStart else { return false }
        return apiVersion >= start
    }

    /// Request header version for `apiVersion`: 2 when flexible, else 1.
    public func requestHeaderVersion(_ apiVersion: Int16) -> Int16 {
        isFlexible(apiVersion) ? 2 : 1
    }

    /// Response header version for `apiVersion`: 1 when flexible, else 0.
    /// ApiVersions responses always use header v0, so a client that sent a version the
    /// broker does not know can still read the error.
    public func responseHeaderVersion(_ apiVersion: Int16) -> Int16 {
        if self == .apiVersions { return 0 }
        return isFlexible(apiVersion) ? 1 : 0
    }
}

/// The request header (versions 1 and 2; version 0 only differs by lacking the client id).
///
/// `clientId` is a non-compact NULLABLE_STRING even in flexible header v2, which then
/// ends with a tagged-field section (skipped on decode).
public struct RequestHeader: Sendable, Equatable {
    /// Raw api key: it may name an API this module has no codec for.
    public var apiKey: Int16
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?

    public init(apiKey: Int16, apiVersion: Int16, correlationId: Int32, clientId: String?) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
        self.clientId = clientId
    }

    public init(apiKey: ApiKey, apiVersion: Int16, correlationId: Int32, clientId: String?) {
        self.init(apiKey: apiKey.rawValue, apiVersion: apiVersion, correlationId: correlationId, clientId: clientId)
    }

    /// The api key as an `ApiKey`, or nil when this module has no codec for it.
    public var knownApiKey: ApiKey? { ApiKey(rawValue: apiKey) }

    /// The header version to use with this request: 2 for flexible versions of known
    /// APIs, else 1.
    public var headerVersion: Int16 {
        knownApiKey?.requestHeaderVersion(apiVersion) ?? 1
    }

    /// Decodes a request header, choosing version 1 or 2 from the api key and version
    /// it reads first. Unknown api keys are decoded as header v1 (enough to answer
    /// with an error carrying the correlation id).
    public init(from buffer: inout ByteBuffer) throws {
        let apiKey = try buffer.readKafkaInt16()
        let apiVersion = try buffer.readKafkaInt16()
        let correlationId = try buffer.readKafkaInt32()
        let clientId = try buffer.readKafkaNullableString()
        self.init(apiKey: apiKey, apiVersion: apiVersion, correlationId: correlationId, clientId: clientId)
        if headerVersion >= 2 {
            try buffer.skipKafkaTaggedFields()
        }
    }

    /// Decodes a request header of an explicit version (0, 1 or 2).
    public init(from buffer: inout ByteBuffer, headerVersion: Int16) throws {
        let apiKey = try buffer.readKafkaInt16()
        let apiVersion = try buffer.readKafkaInt16()
        let correlationId = try buffer.readKafkaInt32()
        let clientId = headerVersion >= 1 ? try buffer.readKafkaNullableString() : nil
        self.init(apiKey: apiKey, apiVersion: apiVersion, correlationId: correlationId, clientId: clientId)
        if headerVersion >= 2 {
            try buffer.skipKafkaTaggedFields()
        }
    }

    /// Writes the header in `headerVersion` (default: the one this request needs).
    public func write(to buffer: inout ByteBuffer, headerVersion: Int16? = nil) {
        let v = headerVersion ?? self.headerVersion
        buffer.writeInteger(apiKey, endianness: .big, as: Int16.self)
        buffer.writeInteger(apiVersion, endianness: .big, as: Int16.self)
        buffer.writeInteger(correlationId, endianness: .big, as: Int32.self)
        if v >= 1 {
            buffer.writeKafkaString(clientId)
        }
        if v >= 2 {
            buffer.writeUnsignedVarInt(0)
        }
    }
}

/// The response header: version 0 is the correlation id, version 1 adds a tagged-field section.
public struct ResponseHeader: Sendable, Equatable {
    public var correlationId: Int32

    public init(correlationId: Int32) {
        self.correlationId = correlationId
    }

    public init(from buffer: inout ByteBuffer, headerVersion: Int16) throws {
        self.correlationId = try buffer.readKafkaInt32()
        if headerVersion >= 1 {
            try buffer.skipKafkaTaggedFields()
        }
    }

    public func write(to buffer: inout ByteBuffer, headerVersion: Int16) {
        buffer.writeInteger(correlationId, endianness: .big, as: Int32.self)
        if headerVersion >= 1 {
            buffer.writeUnsignedVarInt(0)
        }
    }

    /// Same as `write(to:headerVersion:)`; `version` is the header version (0 or 1).
    public func write(to buffer: inout ByteBuffer, version: Int16) {
        write(to: &buffer, headerVersion: version)
    }

    /// Same as `init(from:headerVersion:)`; `version` is the header version (0 or 1).
    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        try self.init(from: &buffer, headerVersion: version)
    }
}
