/// The state of one Confluent-style schema comparison (Confluent's `diff.Context`):
/// the current path, the differences found under it, and — shared by every
/// subcontext — the memo of compared pairs, the pairs in progress (for cycle
/// detection) and the incompatible seed of the fixpoint iteration.
final class JSONSchemaDiffContext {
    /// Identity of an (original, update) pair of nodes.
    struct Pair: Hashable {
        let original: ObjectIdentifier
        let update: ObjectIdentifier
    }

    /// State shared by a context and all its subcontexts.
    final class Shared {
        var memo: [Pair: [JSONSchemaDifference]] = [:]
        var inProgress: Set<Pair> = []
        var incompatibleSeed: [Pair: [JSONSchemaDifference]]
        var optimismUsed = false
        /// Current nesting of pair comparisons, bounded so hostile schemas cannot exhaust the stack.
        var depth = 0

        init(incompatibleSeed: [Pair: [JSONSchemaDifference]]) {
            self.incompatibleSeed = incompatibleSeed
        }
    }

    /// Pair comparisons nest at most this deep; beyond it the diff reports ``JSONSchemaChange/comparisonFailed``.
    static let maxDepth = 200

    let shared: Shared
    private(set) var path: [String]
    private(set) var differences: [JSONSchemaDifference] = []

    init(shared: Shared, path: [String] = []) {
        self.shared = shared
        self.path = path
    }

    /// A fresh context at the same path sharing memo and cycle state.
    func subcontext() -> JSONSchemaDiffContext {
        JSONSchemaDiffContext(shared: shared, path: path)
    }

    /// Whether every difference found so far is on the STRICT compatible list.
    var isCompatible: Bool {
        differences.allSatisfy(\.change.isCompatible)
    }

    func add(_ change: JSONSchemaChange) {
        differences.append(JSONSchemaDifference(change: change, path: Self.pathString(path)))
    }

    func add(_ change: JSONSchemaChange, at attribute: String) {
        withPath(attribute) { add(change) }
    }

    func add(_ list: [JSONSchemaDifference]) {
        differences += list
    }

    func withPath(_ component: String, _ body: () -> Void) {
        path.append(component)
        body()
        path.removeLast()
    }

    /// Compares a pair with memoization; returns differences relative to the pair.
    /// A pair met again while still in progress is a cycle: it is assumed
    /// compatible (unless the seed knows better) and not cached.
    func compareMemoized(
        _ original: JSONSchemaNode, _ update: JSONSchemaNode,
        _ comparator: (JSONSchemaDiffContext) -> Void
    ) -> [JSONSchemaDifference] {
        let key = Pair(original: ObjectIdentifier(original), update: ObjectIdentifier(update))
        if let cached = shared.memo[key] { return cached }
        if shared.inProgress.contains(key) {
            if let seeded = shared.incompatibleSeed[key] { return seeded }
            shared.optimismUsed = true
            return []
        }
        guard shared.depth < Self.maxDepth else {
            return [JSONSchemaDifference(change: .comparisonFailed, path: "#/")]
        }
        shared.inProgress.insert(key)
        shared.depth += 1
        defer {
            shared.inProgress.remove(key)
            shared.depth -= 1
        }
        let sub = JSONSchemaDiffContext(shared: shared)
        comparator(sub)
        shared.memo[key] = sub.differences
        return sub.differences
    }

    /// Adds pair-relative differences, rebased onto the current path.
    func addRebased(_ relative: [JSONSchemaDifference]) {
        guard !path.isEmpty else {
            differences += relative
            return
        }
        let prefix = Self.pathString(path)
        for diff in relative {
            let rebased = diff.path.count <= 2 ? prefix : prefix + "/" + diff.path.dropFirst(2)
            differences.append(JSONSchemaDifference(change: diff.change, path: rebased))
        }
    }

    /// Memoized pairs found incompatible, to seed the next fixpoint pass.
    func incompatiblePairs() -> [Pair: [JSONSchemaDifference]] {
        shared.memo.filter { !$0.value.allSatisfy(\.change.isCompatible) }
    }

    static func pathString(_ path: [String]) -> String {
        "#/" + path.joined(separator: "/")
    }
}
