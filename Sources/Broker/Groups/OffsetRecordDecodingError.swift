/// Why a `__consumer_offsets` key or value could not be decoded.
enum OffsetRecordDecodingError: Error, Equatable {
    /// The leading version byte is one this broker does not know.
    case unsupportedVersion(UInt8)
    /// The bytes end before a field does.
    case truncated
    /// A string field is not valid UTF-8.
    case invalidUTF8
    /// Bytes are left over after the last field.
    case trailingBytes
}
