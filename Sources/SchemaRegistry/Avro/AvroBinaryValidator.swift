/// Walks an Avro binary payload against a schema without building values,
/// checking every length, index and varint.
///
/// Hostile input is the expected case here (payloads come from producers), so:
/// nesting is capped at ``maxDepth``; lengths are compared with the bytes that
/// remain before anything is read (nothing is allocated from a length); and
/// arrays/maps of zero-byte items are capped at ``maxZeroWidthItems`` so a
/// 2^62-item block of nulls cannot spin forever.
struct AvroBinaryValidator {
    static let maxZeroWidthItems = 1 << 20

    /// The schema, flattened (``AvroValidationPlan``), borrowed for one validation: nodes,
    /// child lists and the names that only error messages read. Borrowed rather than held,
    /// so that validating a record retains nothing.
    let nodes: UnsafeBufferPointer<AvroValidationPlan.Node>
    let children: UnsafeBufferPointer<Int>
    let names: UnsafeBufferPointer<String>
    /// The payload, borrowed for the duration of one validation (no copy per record).
    let bytes: UnsafeRawBufferPointer
    let maxDepth: Int
    private(set) var offset = 0
    private var zeroWidthItems = 0

    /// Validates `bytes` against `plan`, every byte consumed.
    static func validate(_ bytes: UnsafeRawBufferPointer, plan: AvroValidationPlan, maxDepth: Int) throws {
        try plan.nodes.withUnsafeBufferPointer { nodes in
            try plan.children.withUnsafeBufferPointer { children in
                try plan.names.withUnsafeBufferPointer { names in
                    var validator = AvroBinaryValidator(nodes: nodes, children: children, names: names, bytes: bytes, maxDepth: maxDepth)
                    try validator.validate(node: plan.root, depth: 0)
                    guard validator.offset == bytes.count else {
                        throw AvroPayloadError("\(bytes.count - validator.offset) trailing bytes after the value", offset: validator.offset)
                    }
                }
            }
        }
    }

    private init(
        nodes: UnsafeBufferPointer<AvroValidationPlan.Node>, children: UnsafeBufferPointer<Int>, names: UnsafeBufferPointer<String>,
        bytes: UnsafeRawBufferPointer, maxDepth: Int
    ) {
        self.nodes = nodes
        self.children = children
        self.names = names
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private var remaining: Int { bytes.count - offset }

    private mutating func validate(node index: Int, depth: Int) throws {
        guard depth <= maxDepth else { throw AvroPayloadError("nesting deeper than \(maxDepth)", offset: offset) }
        let node = nodes[index]
        switch node.kind {
        case .null:
            return
        case .boolean:
            let b = try readByte()
            guard b <= 1 else { throw AvroPayloadError("invalid boolean byte \(b)", offset: offset - 1) }
        case .int:
            _ = try readInt()
        case .long:
            _ = try readLong()
        case .float:
            try skip(4, what: "float")
        case .double:
            try skip(8, what: "double")
        case .bytes:
            try skip(try readLength(), what: "bytes")
        case .string:
            let length = try readLength()
            let start = offset
            try skip(length, what: "string")
            // Avro strings are UTF-8; reject what a decoder would reject.
            guard String(validating: bytes[start..<offset], as: UTF8.self) != nil else {
                throw AvroPayloadError("string is not valid UTF-8", offset: start)
            }
        case .fixed:
            guard node.count <= remaining else {
                throw AvroPayloadError("fixed \(names[node.name]) needs \(node.count) bytes, \(remaining) left", offset: offset)
            }
            offset += node.count
        case .enumeration:
            let at = offset
            let index = try readInt()
            guard index >= 0, Int(index) < node.count else {
                throw AvroPayloadError("enum index \(index) out of range for \(names[node.name])", offset: at)
            }
        case .union:
            let at = offset
            let index = try readLong()
            guard index >= 0, index < Int64(node.count) else {
                throw AvroPayloadError("union index \(index) out of range (\(node.count) branches)", offset: at)
            }
            try validate(node: children[node.first + Int(index)], depth: depth + 1)
        case .record:
            for field in node.first..<node.first + node.count {
                try validate(node: children[field], depth: depth + 1)
            }
        case .array:
            try validateBlocks(depth: depth) { validator in
                try validator.validate(node: node.first, depth: depth + 1)
            }
        case .map:
            try validateBlocks(depth: depth) { validator in
                let length = try validator.readLength()
                let start = validator.offset
                try validator.skip(length, what: "map key")
                guard String(validating: validator.bytes[start..<validator.offset], as: UTF8.self) != nil else {
                    throw AvroPayloadError("map key is not valid UTF-8", offset: start)
                }
                try validator.validate(node: node.first, depth: depth + 1)
            }
        case .undefined:
            throw AvroPayloadError("undefined type \(names[node.name])", offset: offset)
        }
    }

    /// Array and map bodies: blocks of `count` items, a negative count followed by
    /// the block's byte size, ended by a zero count.
    private mutating func validateBlocks(depth: Int, item: (inout AvroBinaryValidator) throws -> Void) throws {
        while true {
            let at = offset
            var count = try readLong()
            if count == 0 { return }
            if count < 0 {
                guard count != Int64.min else { throw AvroPayloadError("invalid block count", offset: at) }
                count = -count
                let size = try readLong()
                guard size >= 0, size <= Int64(remaining) else {
                    throw AvroPayloadError("invalid block size \(size)", offset: at)
                }
            }
            for _ in 0..<count {
                let before = offset
                try item(&self)
                if offset == before {
                    // Zero-width items consume nothing, so the count alone bounds the work.
                    zeroWidthItems += 1
                    guard zeroWidthItems <= AvroBinaryValidator.maxZeroWidthItems else {
                        throw AvroPayloadError("too many zero-length items", offset: at)
                    }
                } else if count > Int64(remaining) + 1 {
                    // Every further item needs at least one byte; fail fast on an impossible count.
                    throw AvroPayloadError("block count \(count) exceeds the remaining bytes", offset: at)
                }
            }
        }
    }

    // MARK: Primitives

    @inline(__always)
    private mutating func readByte() throws -> UInt8 {
        guard offset < bytes.count else { throw AvroPayloadError("unexpected end of payload", offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always)
    private mutating func skip(_ count: Int, what: StaticString) throws {
        guard count <= remaining else {
            throw AvroPayloadError("\(what) needs \(count) bytes, \(remaining) left", offset: offset)
        }
        offset += count
    }

    /// A zig-zag varint of at most `maxBytes` bytes whose value fits `bits` bits.
    ///
    /// Inlined with a fast path for one and two bytes: lengths, indexes and counts are that
    /// short (up to 8191), and the broker validates every produced record.
    @inline(__always)
    private mutating func readVarint(maxBytes: Int) throws -> UInt64 {
        if offset < bytes.count {
            let first = bytes[offset]
            if first & 0x80 == 0 {
                offset += 1
                return UInt64(first)
            }
            if offset + 1 < bytes.count {
                let second = bytes[offset + 1]
                if second & 0x80 == 0 {
                    offset += 2
                    return UInt64(first & 0x7F) | UInt64(second) << 7
                }
            }
        }
        return try readLongVarint(maxBytes: maxBytes)
    }

    private mutating func readLongVarint(maxBytes: Int) throws -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        for i in 0..<maxBytes {
            let b = try readByte()
            result |= UInt64(b & 0x7F) << (7 * UInt64(i))
            if b & 0x80 == 0 {
                // The last byte of a maximal varint may only carry the remaining bits.
                if i == maxBytes - 1 {
                    let usedBits = 7 * (maxBytes - 1)
                    let limit = maxBytes == 5 ? 32 : 64
                    if usedBits + (64 - (UInt64(b)).leadingZeroBitCount) > limit {
                        throw AvroPayloadError("varint overflows \(limit) bits", offset: start)
                    }
                }
                return result
            }
        }
        throw AvroPayloadError("varint longer than \(maxBytes) bytes", offset: start)
    }

    @inline(__always)
    private mutating func readLong() throws -> Int64 {
        let raw = try readVarint(maxBytes: 10)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inline(__always)
    private mutating func readInt() throws -> Int32 {
        let raw = try readVarint(maxBytes: 5)
        let value = Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
        return Int32(truncatingIfNeeded: value)
    }

    /// A `bytes`/`string` length: a long, non-negative, not beyond the payload.
    @inline(__always)
    private mutating func readLength() throws -> Int {
        let at = offset
        let length = try readLong()
        guard length >= 0 else { throw AvroPayloadError("negative length \(length)", offset: at) }
        guard length <= Int64(remaining) else {
            throw AvroPayloadError("length \(length) exceeds the \(remaining) remaining bytes", offset: at)
        }
        return Int(length)
    }
}

extension AvroSchema {
    /// The default nesting limit for ``validate(payload:maxDepth:)``.
    public static let defaultMaxPayloadDepth = 128

    /// Checks that `payload` is exactly one value of this schema in Avro binary
    /// encoding — every byte consumed, nothing left over.
    ///
    /// Never traps on malformed input: truncation, bad varints, out-of-range
    /// enum/union indexes, invalid UTF-8, absurd lengths and over-deep nesting all
    /// throw ``AvroPayloadError``.
    public func validate(payload: some Collection<UInt8>, maxDepth: Int = AvroSchema.defaultMaxPayloadDepth) throws {
        let done: Void? = try payload.withContiguousStorageIfAvailable { elements in
            try validate(bytes: UnsafeRawBufferPointer(elements), maxDepth: maxDepth)
        }
        if done == nil {
            try Array(payload).withUnsafeBytes { try validate(bytes: $0, maxDepth: maxDepth) }
        }
    }

    /// As ``validate(payload:maxDepth:)``, reading `bytes` in place: the broker validates
    /// every produced record this way, without copying it.
    public func validate(bytes: UnsafeRawBufferPointer, maxDepth: Int = AvroSchema.defaultMaxPayloadDepth) throws {
        try AvroBinaryValidator.validate(bytes, plan: validationPlan, maxDepth: maxDepth)
    }
}
