import NIOCore

/// A fixed-size, big-endian record of a segment index file (Kafka's layouts).
protocol IndexEntry: Sendable {
    static var size: Int { get }
    init(reading buffer: ByteBuffer, at index: Int)
    func write(to buffer: inout ByteBuffer)
}

/// One `.index` entry: the batch whose base offset is `baseOffset + relativeOffset` starts at
/// byte `position` of the segment's `.log`.
struct OffsetIndexEntry: IndexEntry, Equatable {
    static let size = 8
    var relativeOffset: UInt32
    var position: UInt32

    init(relativeOffset: UInt32, position: UInt32) {
        self.relativeOffset = relativeOffset
        self.position = position
    }

    init(reading buffer: ByteBuffer, at index: Int) {
        relativeOffset = buffer.getInteger(at: index, endianness: .big, as: UInt32.self)!
        position = buffer.getInteger(at: index + 4, endianness: .big, as: UInt32.self)!
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(relativeOffset, endianness: .big)
        buffer.writeInteger(position, endianness: .big)
    }
}

/// One `.timeindex` entry: no batch up to and including the one at `baseOffset + relativeOffset`
/// has a max timestamp above `timestamp` (the running maximum when that batch was indexed).
/// Timestamps strictly increase from entry to entry.
struct TimeIndexEntry: IndexEntry, Equatable {
    static let size = 12
    var timestamp: Int64
    var relativeOffset: UInt32

    init(timestamp: Int64, relativeOffset: UInt32) {
        self.timestamp = timestamp
        self.relativeOffset = relativeOffset
    }

    init(reading buffer: ByteBuffer, at index: Int) {
        timestamp = buffer.getInteger(at: index, endianness: .big, as: Int64.self)!
        relativeOffset = buffer.getInteger(at: index + 8, endianness: .big, as: UInt32.self)!
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(timestamp, endianness: .big)
        buffer.writeInteger(relativeOffset, endianness: .big)
    }
}
