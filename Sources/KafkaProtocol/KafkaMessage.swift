import NIOCore

/// A Kafka request or response body, generated from Apache Kafka's JSON definitions
/// (see `scripts/generate-protocol.py` and `Messages/`).
///
/// `init(from:version:)` reads exactly the fields present in `version` and throws
/// `KafkaDecodingError` on malformed input; `write(to:version:)` writes exactly that
/// version. Fields absent from a version keep their defaults.
public protocol KafkaMessage: Sendable {
    static var apiKey: ApiKey { get }
    static var validVersions: ClosedRange<Int16> { get }
    /// First flexible version (compact encodings, tagged fields), or nil when none is.
    static var flexibleVersionsStart: Int16? { get }
    init(from buffer: inout ByteBuffer, version: Int16) throws
    func write(to buffer: inout ByteBuffer, version: Int16)
}

extension KafkaMessage {
    /// Whether `version` of this message uses the flexible (compact, tagged) encoding.
    public static func isFlexible(_ version: Int16) -> Bool {
        guard let start = flexibleVersionsStart else { return false }
        return version >= start
    }
}

/// A struct of the Kafka protocol (a message or one of its nested structs).
public protocol KafkaStruct: Sendable, Equatable {
    init()
    init(from buffer: inout ByteBuffer, version: Int16) throws
    func write(to buffer: inout ByteBuffer, version: Int16)
}

// MARK: - Helpers used by the generated codecs

extension ByteBuffer {
    // Strings

    @inlinable
    public mutating func readKafkaString(compact: Bool) throws -> String {
        compact ? try readKafkaCompactString() : try readKafkaString()
    }

    /// Reads a nullable string; a null in a version where the field is not nullable throws.
    @inlinable
    public mutating func readKafkaNullableString(compact: Bool, nullable: Bool) throws -> String? {
        let value: String? = compact ? try readKafkaCompactNullableString() : try readKafkaNullableString()
        if value == nil && !nullable {
            throw KafkaDecodingError("null string in a version where the field is not nullable")
        }
        return value
    }

    @inlinable
    public mutating func writeKafkaString(_ value: String, compact: Bool) {
        if compact { writeKafkaCompactString(value) } else { writeKafkaString(value) }
    }

    /// Writes a nullable string; nil in a version where the field is not nullable is written as "".
    @inlinable
    public mutating func writeKafkaNullableString(_ value: String?, compact: Bool, nullable: Bool) {
        let v: String? = (value == nil && !nullable) ? "" : value
        if compact { writeKafkaCompactString(v) } else { writeKafkaString(v) }
    }

    // Bytes (and records): zero-copy slices of this buffer

    @inlinable
    public mutating func readKafkaBytes(compact: Bool) throws -> ByteBuffer {
        compact ? try readKafkaCompactBytes() : try readKafkaBytes()
    }

    @inlinable
    public mutating func readKafkaNullableBytes(compact: Bool, nullable: Bool) throws -> ByteBuffer? {
        let value: ByteBuffer? = compact ? try readKafkaCompactNullableBytes() : try readKafkaNullableBytes()
        if value == nil && !nullable {
            throw KafkaDecodingError("null bytes in a version where the field is not nullable")
        }
        return value
    }

    @inlinable
    public mutating func writeKafkaBytes(_ value: ByteBuffer, compact: Bool) {
        if compact { writeKafkaCompactBytes(value) } else { writeKafkaBytes(value) }
    }

    /// Writes nullable bytes; nil in a version where the field is not nullable is written as empty.
    @inlinable
    public mutating func writeKafkaNullableBytes(_ value: ByteBuffer?, compact: Bool, nullable: Bool) {
        let v: ByteBuffer? = (value == nil && !nullable) ? ByteBuffer() : value
        if compact { writeKafkaCompactBytes(v) } else { writeKafkaBytes(v) }
    }

    // Arrays

    @inlinable
    mutating func readKafkaArrayCount(compact: Bool) throws -> Int? {
        compact ? try readKafkaCompactArrayCount() : try readKafkaArrayCount()
    }

    @inlinable
    mutating func writeKafkaArrayCount(_ count: Int?, compact: Bool) {
        if compact { writeKafkaCompactArrayCount(count) } else { writeKafkaArrayCount(count) }
    }

    @inlinable
    public mutating func readKafkaNullableArray<T>(
        compact: Bool, nullable: Bool, _ element: (inout ByteBuffer) throws -> T
    ) throws -> [T]? {
        guard let count = try readKafkaArrayCount(compact: compact) else {
            if !nullable { throw KafkaDecodingError("null array in a version where the field is not nullable") }
            return nil
        }
        var result: [T] = []
        // The count is already checked against the bytes left, but elements can be much
        // larger in memory than on the wire: don't let a hostile count reserve gigabytes.
        result.reserveCapacity(Swift.min(count, 1024))
        for _ in 0..<count {
            result.append(try element(&self))
        }
        return result
    }

    @inlinable
    public mutating func readKafkaArray<T>(compact: Bool, _ element: (inout ByteBuffer) throws -> T) throws -> [T] {
        try readKafkaNullableArray(compact: compact, nullable: false, element) ?? []
    }

    @inlinable
    public mutating func readKafkaNullableStructArray<T: KafkaStruct>(
        of type: T.Type, version: Int16, compact: Bool, nullable: Bool
    ) throws -> [T]? {
        try readKafkaNullableArray(compact: compact, nullable: nullable) { (b: inout ByteBuffer) throws -> T in
            try T(from: &b, version: version)
        }
    }

    @inlinable
    public mutating func readKafkaStructArray<T: KafkaStruct>(of type: T.Type, version: Int16, compact: Bool) throws -> [T] {
        try readKafkaNullableStructArray(of: type, version: version, compact: compact, nullable: false) ?? []
    }

    /// Writes an array; nil in a version where the field is not nullable is written as empty.
    @inlinable
    public mutating func writeKafkaNullableArray<T>(
        _ value: [T]?, compact: Bool, nullable: Bool, _ element: (inout ByteBuffer, T) -> Void
    ) {
        guard let value else {
            writeKafkaArrayCount(nullable ? nil : 0, compact: compact)
            return
        }
        writeKafkaArrayCount(value.count, compact: compact)
        for e in value {
            element(&self, e)
        }
    }

    @inlinable
    public mutating func writeKafkaArray<T>(_ value: [T], compact: Bool, _ element: (inout ByteBuffer, T) -> Void) {
        writeKafkaNullableArray(value, compact: compact, nullable: false, element)
    }

    @inlinable
    public mutating func writeKafkaNullableStructArray<T: KafkaStruct>(_ value: [T]?, version: Int16, compact: Bool, nullable: Bool) {
        writeKafkaNullableArray(value, compact: compact, nullable: nullable) { (b: inout ByteBuffer, e: T) in
            e.write(to: &b, version: version)
        }
    }

    @inlinable
    public mutating func writeKafkaStructArray<T: KafkaStruct>(_ value: [T], version: Int16, compact: Bool) {
        writeKafkaNullableStructArray(value, version: version, compact: compact, nullable: false)
    }

    // Nullable structs: an int8 marker (-1 null, 1 present) before the struct.

    @inlinable
    public mutating func readKafkaNullableStruct<T: KafkaStruct>(of type: T.Type, version: Int16, nullable: Bool) throws -> T? {
        if nullable {
            let marker = try readKafkaInt8()
            if marker < 0 { return nil }
        }
        return try T(from: &self, version: version)
    }

    @inlinable
    public mutating func writeKafkaNullableStruct<T: KafkaStruct>(_ value: T?, version: Int16, nullable: Bool) {
        if nullable {
            guard let value else {
                writeInteger(-1, as: Int8.self)
                return
            }
            writeInteger(1, as: Int8.self)
            value.write(to: &self, version: version)
        } else {
            (value ?? T()).write(to: &self, version: version)
        }
    }

    // Tagged fields

    /// Reads the size of one tagged field (after its tag) and returns its data as a slice.
    @inlinable
    public mutating func readKafkaTaggedFieldData() throws -> ByteBuffer {
        let size = try readUnsignedVarInt()
        guard size <= UInt32(Int32.max), let data = readSlice(length: Int(size)) else {
            throw KafkaDecodingError.truncated("tagged field")
        }
        return data
    }

    /// Skips a whole tagged-field section (count, then tag/size/data for each).
    @inlinable
    public mutating func skipKafkaTaggedFields() throws {
        var remaining = try readUnsignedVarInt()
        while remaining > 0 {
            remaining -= 1
            _ = try readUnsignedVarInt()
            _ = try readKafkaTaggedFieldData()
        }
    }

    @inlinable
    public mutating func writeKafkaTaggedField(tag: UInt32, data: ByteBuffer) {
        writeUnsignedVarInt(tag)
        writeUnsignedVarInt(UInt32(data.readableBytes))
        var d = data
        writeBuffer(&d)
    }
}
