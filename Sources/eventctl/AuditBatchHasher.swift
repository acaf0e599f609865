import AuditChain
import Foundation
import KafkaProtocol
import Synchronization

/// Computes the leaf hashes of a window of batches on every core.
///
/// Hashing every record is nearly all of what offline verification costs, and each leaf
/// depends only on its own record, so `verify` reads a window of batches, hashes it here in
/// contiguous slices on all cores, and then checks the leaves against the chain in offset
/// order on one thread (``ChainVerifier`` is sequential, but only compares digests).
struct AuditBatchHasher {
    /// The leaves of one batch.
    struct BatchLeaves {
        /// Offsets and leaf hashes of the batch's records in batch order; when the records
        /// stop parsing, those before the bad one.
        var leaves: ArraySlice<AuditRecord.Entry>
        /// Why the records stopped parsing, if they did.
        var parseError: String?
    }

    /// A template copied by each slice (a ``LeafHasher`` is not shared between threads).
    let hasher: LeafHasher
    /// Number of slices a window is cut into: a few per core, so a core slowed down by
    /// other processes does not hold up the window.
    let slices: Int

    init(topic: String, partition: Int32, cores: Int = ProcessInfo.processInfo.activeProcessorCount) {
        hasher = LeafHasher(topic: topic, partition: partition)
        slices = cores > 1 ? cores * 4 : 1
    }

    /// The leaves of every batch of `batches`, in order.
    func leaves(of batches: [RecordBatch]) -> [BatchLeaves] {
        let bounds = sliceBounds(batches)
        let results = Mutex<[Slice?]>(Array(repeating: nil, count: bounds.count))
        DispatchQueue.concurrentPerform(iterations: bounds.count) { index in
            let slice = hash(batches[bounds[index]])
            results.withLock { $0[index] = slice }
        }
        var all: [BatchLeaves] = []
        all.reserveCapacity(batches.count)
        for slice in results.withLock({ $0 }) {
            guard let slice else { continue }
            for batch in slice.batches {
                all.append(BatchLeaves(leaves: slice.leaves[batch.range], parseError: batch.parseError))
            }
        }
        return all
    }

    /// One slice's output: a flat array of leaves and where each batch's are.
    private struct Slice: Sendable {
        var leaves: [AuditRecord.Entry] = []
        var batches: [(range: Range<Int>, parseError: String?)] = []
    }

    private func hash(_ batches: ArraySlice<RecordBatch>) -> Slice {
        var hasher = self.hasher
        var slice = Slice()
        slice.batches.reserveCapacity(batches.count)
        slice.leaves.reserveCapacity(batches.reduce(0) { $0 + max(0, Int($1.header.recordCount)) })
        for batch in batches {
            let start = slice.leaves.count
            var parseError: String?
            do {
                try hasher.forEachLeaf(of: batch, maxDecompressedSize: AuditDataDirectoryVerifier.maxDecompressedBatchSize) { offset, leaf in
                    slice.leaves.append(AuditRecord.Entry(offset: offset, leafHash: leaf))
                }
            } catch {
                parseError = "\(error)"
            }
            slice.batches.append((start..<slice.leaves.count, parseError))
        }
        return slice
    }

    /// Cuts `batches` into at most ``slices`` contiguous runs of about equal bytes.
    private func sliceBounds(_ batches: [RecordBatch]) -> [Range<Int>] {
        let total = batches.reduce(0) { $0 + $1.bytes.readableBytes }
        let target = max(1, total / slices)
        var bounds: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, batch) in batches.enumerated() {
            bytes += batch.bytes.readableBytes
            if bytes >= target {
                bounds.append(start..<index + 1)
                start = index + 1
                bytes = 0
            }
        }
        if start < batches.count { bounds.append(start..<batches.count) }
        return bounds
    }
}
