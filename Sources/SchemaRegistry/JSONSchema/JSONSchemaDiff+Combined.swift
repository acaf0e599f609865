/// Confluent's `CombinedSchemaDiff`: criterion changes, then a maximum matching
/// between the subschemas of both sides over "compatible" edges.
extension JSONSchemaDiff {
    typealias Combined = (criterion: JSONSchemaCriterion, subschemas: [JSONSchemaNode])

    static func compareCombined(_ ctx: JSONSchemaDiffContext, _ original: Combined, _ update: Combined) {
        if let change = criterionChange(original, update) {
            ctx.add(change)
            if change == .combinedTypeChanged { return }
        }
        // Duplicates collapse, as in Confluent's LinkedHashSet of subschemas.
        let originals = deduplicated(original.subschemas)
        let updates = deduplicated(update.subschemas)
        if originals.count < updates.count {
            ctx.add(update.criterion == .allOf ? .productTypeExtended : .sumTypeExtended)
        } else if originals.count > updates.count {
            ctx.add(original.criterion == .allOf ? .productTypeNarrowed : .sumTypeNarrowed)
        }

        var edges: [[Int]] = Array(repeating: [], count: originals.count)
        var edgeDiffs: [Int: [Int: [JSONSchemaDifference]]] = [:]
        for (i, o) in originals.enumerated() {
            ctx.withPath("\(original.criterion.rawValue)/\(i)") {
                for (j, u) in updates.enumerated() {
                    let sub = ctx.subcontext()
                    compare(sub, o, u)
                    if sub.isCompatible {
                        edges[i].append(j)
                        edgeDiffs[i, default: [:]][j] = sub.differences
                    }
                }
            }
        }
        let matching = BipartiteMatching.maximum(edges: edges, rightCount: updates.count)
        for (i, j) in matching.sorted(by: { $0.key < $1.key }) {
            ctx.add(edgeDiffs[i]?[j] ?? [])
        }
        if matching.count < min(originals.count, updates.count) {
            ctx.add(.combinedTypeSubschemasChanged)
        }
    }

    private static func criterionChange(_ o: Combined, _ u: Combined) -> JSONSchemaChange? {
        if o.criterion == u.criterion { return nil }
        let oSingleton = o.subschemas.count == 1
        let uSingleton = u.subschemas.count == 1
        if u.criterion == .anyOf
            || (oSingleton && uSingleton)
            || (oSingleton && u.criterion == .oneOf)
            || (uSingleton && o.criterion == .allOf) {
            return .combinedTypeExtended
        }
        return .combinedTypeChanged
    }

    private static func deduplicated(_ nodes: [JSONSchemaNode]) -> [JSONSchemaNode] {
        var seen = Set<String>()
        return nodes.filter { seen.insert($0.canonical).inserted }
    }
}
