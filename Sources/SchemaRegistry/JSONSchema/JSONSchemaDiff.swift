/// Confluent Schema Registry's JSON Schema diff (`io.confluent.kafka.schemaregistry.json.diff`),
/// re-expressed over ``JSONSchemaNode``.
///
/// `compare(original:update:)` lists the changes from `original` to `update`;
/// the pair is compatible when each change is on ``JSONSchemaChange/compatibleStrict``.
/// For BACKWARD, Confluent diffs original = previous (writer), update = candidate (reader).
/// The per-type rules live in the `JSONSchemaDiff+*.swift` extensions, one per
/// Confluent class, so each can be read next to its counterpart.
enum JSONSchemaDiff {
    /// All changes from `original` to `update`.
    static func compare(original: JSONSchemaNode, update: JSONSchemaNode) -> [JSONSchemaDifference] {
        // Memoization truncates recursive cycles optimistically; iterate to a fixpoint,
        // feeding back pairs found incompatible, so a cached "compatible" can't hide a
        // real incompatibility (Confluent's SchemaDiff.compare does the same).
        var seed: [JSONSchemaDiffContext.Pair: [JSONSchemaDifference]] = [:]
        for _ in 0..<64 {
            let ctx = JSONSchemaDiffContext(shared: .init(incompatibleSeed: seed))
            compare(ctx, original, update)
            let incompatible = ctx.incompatiblePairs()
            if !ctx.shared.optimismUsed || Set(incompatible.keys) == Set(seed.keys) {
                return ctx.differences
            }
            seed = incompatible
        }
        return [JSONSchemaDifference(change: .comparisonFailed, path: "#/")]
    }

    /// Compares two optional schemas at the context's current path.
    static func compare(_ ctx: JSONSchemaDiffContext, _ original: JSONSchemaNode?, _ update: JSONSchemaNode?) {
        guard let original else {
            if update != nil { ctx.add(.schemaAdded) }
            return
        }
        guard let update else {
            ctx.add(.schemaRemoved)
            return
        }
        let o = normalize(original)
        let u = normalize(update)
        let diffs = ctx.compareMemoized(o, u) { sub in compareTypes(sub, o, u) }
        ctx.addRebased(diffs)
    }

    /// Follows `$ref`s to the schema they name (bounded, in case of a reference loop).
    static func normalize(_ node: JSONSchemaNode) -> JSONSchemaNode {
        var current = node
        for _ in 0..<64 {
            guard case .reference = current.kind, let next = current.referred else { return current }
            current = next
        }
        return current
    }

    private static func compareTypes(_ ctx: JSONSchemaDiffContext, _ original: JSONSchemaNode, _ update: JSONSchemaNode) {
        let originalIsCombined = isCombined(original)
        let updateIsCombined = isCombined(update)
        if !originalIsCombined, updateIsCombined, case .combined(let criterion, let subs) = update.kind {
            if subs.count == 1 {
                // A singleton union is treated as its only member when that is compatible.
                let sub = ctx.subcontext()
                compare(sub, original, subs[0])
                if sub.isCompatible {
                    ctx.add(sub.differences)
                    return
                }
            } else if criterion == .anyOf || criterion == .oneOf {
                for member in subs {
                    let sub = ctx.subcontext()
                    compare(sub, original, member)
                    if sub.isCompatible {
                        ctx.add(sub.differences)
                        ctx.add(.sumTypeExtended)
                        return
                    }
                }
            }
        } else if originalIsCombined, !updateIsCombined, case .combined(let criterion, let subs) = original.kind {
            if subs.count == 1 {
                let sub = ctx.subcontext()
                compare(sub, subs[0], update)
                if sub.isCompatible {
                    ctx.add(sub.differences)
                    return
                }
            } else if criterion == .allOf {
                for member in subs {
                    let sub = ctx.subcontext()
                    compare(sub, member, update)
                    if sub.isCompatible {
                        ctx.add(sub.differences)
                        ctx.add(.productTypeNarrowed)
                        return
                    }
                }
            }
        }

        if original.className != update.className {
            // Anything may become `{}`/`true`, and `false` may become anything.
            if original.isFalseSchema || update.isEmptySchema { return }
            ctx.add(.typeChanged)
            return
        }

        if original.id != update.id { ctx.add(.idChanged) }
        if original.title != update.title { ctx.add(.titleChanged) }
        if original.description != update.description { ctx.add(.descriptionChanged) }
        if original.defaultValue != update.defaultValue { ctx.add(.defaultChanged) }

        switch (original.kind, update.kind) {
        case (.string(let o), .string(let u)):
            compareString(ctx, o, u)
        case (.number(let o), .number(let u)):
            compareNumber(ctx, o, u)
        case (.constant(let o), .constant(let u)):
            if o != u { ctx.add(.enumArrayChanged, at: "const") }
        case (.enumeration(let o), .enumeration(let u)):
            compareEnum(ctx, o, u)
        case (.combined(let oc, let os), .combined(let uc, let us)):
            compareCombined(ctx, (oc, os), (uc, us))
        case (.not(let o), .not(let u)):
            ctx.withPath("not") {
                // A `not` narrows when the negated schema widens: compare reversed.
                let sub = ctx.subcontext()
                compare(sub, u, o)
                ctx.add(sub.isCompatible ? .notTypeNarrowed : .notTypeExtended)
            }
        case (.object(let o), .object(let u)):
            compareObject(ctx, o, u)
        case (.array(let o), .array(let u)):
            compareArray(ctx, o, u)
        default:
            break
        }
    }

    static func isCombined(_ node: JSONSchemaNode) -> Bool {
        if case .combined = node.kind { return true }
        return false
    }

    /// Shared shape of Confluent's "added / removed / increased / decreased" keyword checks.
    static func compareLimit(
        _ ctx: JSONSchemaDiffContext, _ name: String, _ original: Int?, _ update: Int?,
        added: JSONSchemaChange, removed: JSONSchemaChange,
        increased: JSONSchemaChange, decreased: JSONSchemaChange
    ) {
        guard original != update else { return }
        if original == nil {
            ctx.add(added, at: name)
        } else if update == nil {
            ctx.add(removed, at: name)
        } else if original! < update! {
            ctx.add(increased, at: name)
        } else {
            ctx.add(decreased, at: name)
        }
    }
}
