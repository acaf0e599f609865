/// The logical types of the Avro specification. They annotate an underlying
/// type and change neither the binary encoding nor schema resolution.
public enum AvroLogicalType: Sendable, Equatable {
    case decimal(precision: Int, scale: Int)
    case uuid
    case date
    case timeMillis
    case timeMicros
    case timestampMillis
    case timestampMicros
    case timestampNanos
    case localTimestampMillis
    case localTimestampMicros
    case localTimestampNanos
    case duration

    /// Interprets a `logicalType` annotation on `base`, or returns `nil` when it
    /// is unknown or invalid for `base` — Avro's Java parser then ignores it
    /// (`LogicalTypes.fromSchemaIgnoreInvalid`), and so do we.
    static func from(name: String, properties: JSONValue, base: AvroType) -> AvroLogicalType? {
        switch (name, base) {
        case ("decimal", .bytes), ("decimal", .fixed):
            guard let precision = properties["precision"]?.int64Value, precision > 0, precision <= Int32.max else { return nil }
            let scale = properties["scale"].map { $0.int64Value ?? -1 } ?? 0
            guard scale >= 0, scale <= precision else { return nil }
            if case .fixed(let fixed) = base, Int(precision) > maxDecimalPrecision(fixedSize: fixed.size) { return nil }
            return .decimal(precision: Int(precision), scale: Int(scale))
        case ("uuid", .string): return .uuid
        case ("uuid", .fixed(let fixed)) where fixed.size == 16: return .uuid
        case ("date", .int): return .date
        case ("time-millis", .int): return .timeMillis
        case ("time-micros", .long): return .timeMicros
        case ("timestamp-millis", .long): return .timestampMillis
        case ("timestamp-micros", .long): return .timestampMicros
        case ("timestamp-nanos", .long): return .timestampNanos
        case ("local-timestamp-millis", .long): return .localTimestampMillis
        case ("local-timestamp-micros", .long): return .localTimestampMicros
        case ("local-timestamp-nanos", .long): return .localTimestampNanos
        case ("duration", .fixed(let fixed)) where fixed.size == 12: return .duration
        default: return nil
        }
    }

    /// The most decimal digits a two's-complement number of `size` bytes can hold:
    /// floor(log10(2^(8·size−1) − 1)).
    static func maxDecimalPrecision(fixedSize size: Int) -> Int {
        guard size > 0 else { return 0 }
        if size > 128 { return Int.max }  // far beyond any precision anyone declares
        let bits = Double(8 * size - 1)
        return Int((bits * 0.301_029_995_663_981_2).rounded(.down))
    }
}
