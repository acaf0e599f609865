import Foundation
import KafkaProtocol
import LogStore

/// Carries what `verify` reads from a partition's segments, in file order, from the reading
/// thread to the verifying one, at most ``capacity`` windows ahead.
///
/// Reading and CRC-checking the next window overlaps with hashing the current one: on two
/// cores the serial reading was a third of the work. A lock and condition rather than an
/// `AsyncStream`, because the verifier is synchronous code on plain threads.
final class AuditWindowChannel: @unchecked Sendable {  // all state behind `condition`
    enum Item: Sendable {
        /// Consecutive valid batches.
        case batches([(batch: RecordBatch, location: LogDirectoryReader.Location)])
        /// Bad bytes; `nextOffset` is the offset expected after the batches before them.
        case corruption(String, nextOffset: Int64)
        /// The end: the log's extent, or why reading stopped (and the offset reached).
        case finished(LogDirectoryReader.Extent?, failure: String?, nextOffset: Int64)
    }

    let capacity: Int
    private let condition = NSCondition()
    private var items: [Item] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits while ``capacity`` items are waiting to be taken.
    func put(_ item: Item) {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity { condition.wait() }
        items.append(item)
        condition.broadcast()
    }

    /// Waits for the next item.
    func take() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }
}
