import Foundation
import LogStore
import NIOConcurrencyHelpers

/// Hands out producer ids that are never reused, even across crashes.
///
/// Ids are reserved in blocks: the end of the current block is persisted before any id
/// from it is handed out, so a restart continues after the block and InitProducerId costs
/// an fsync only once per thousand producers.
final class ProducerIDAllocator: Sendable {
    private static let blockSize: Int64 = 1000
    private let path: String
    private let state: NIOLockedValueBox<(next: Int64, reservedUpTo: Int64)>

    init(dataDirectory: String) throws {
        path = (dataDirectory as NSString).appendingPathComponent("producer-ids")
        var start: Int64 = 1
        if let data = FileManager.default.contents(atPath: path),
           let text = String(data: data, encoding: .utf8),
           let value = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            start = value
        }
        state = NIOLockedValueBox((next: start, reservedUpTo: start))
    }

    func next() throws -> Int64 {
        try state.withLockedValue { state in
            if state.next >= state.reservedUpTo {
                let end = state.next + Self.blockSize
                try DurableFile.write(Data("\(end)\n".utf8), to: path)
                state.reservedUpTo = end
            }
            defer { state.next += 1 }
            return state.next
        }
    }
}
