import NIOCore
@testable import KafkaProtocol

/// Implemented by every generated message through Generated/<Message>+Sample.swift.
protocol MessageSample: KafkaMessage, Equatable {
    init()
    static func sample(version: Int16, nulls: Bool) -> Self
}

/// Every generated message type, requests and responses.
let allMessageTypes: [any MessageSample.Type] = ApiKey.allCases.flatMap { api -> [any MessageSample.Type] in
    [api.requestType as! any MessageSample.Type, api.responseType as! any MessageSample.Type]
}

/// A ByteBuffer from hex digits; spaces, newlines and `|` are ignored.
func hexBuffer(_ hex: String) -> ByteBuffer {
    let digits = Array(hex.filter { $0.isHexDigit })
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    var bytes: [UInt8] = []
    var i = 0
    while i < digits.count {
        bytes.append(UInt8(String(digits[i...i + 1]), radix: 16)!)
        i += 2
    }
    return ByteBuffer(bytes: bytes)
}

/// The readable bytes of `buffer` as lowercase hex.
func hexString(_ buffer: ByteBuffer) -> String {
    buffer.readableBytesView.map { b in
        let s = String(b, radix: 16)
        return s.count == 1 ? "0" + s : s
    }.joined()
}

/// Hex of the ASCII bytes of `s`.
func asciiHex(_ s: String) -> String {
    hexString(ByteBuffer(string: s))
}

func encode<M: KafkaMessage>(_ message: M, version: Int16) -> ByteBuffer {
    var buffer = ByteBuffer()
    message.write(to: &buffer, version: version)
    return buffer
}

