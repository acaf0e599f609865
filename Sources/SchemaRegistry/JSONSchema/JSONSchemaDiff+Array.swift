/// Confluent's `ArraySchemaDiff`: the all-items schema, tuple items against
/// open / closed / partially open content models, additional and unevaluated
/// items, and the count / uniqueness / contains limits.
extension JSONSchemaDiff {
    static func compareArray(_ ctx: JSONSchemaDiffContext, _ o: ArrayKeywords, _ u: ArrayKeywords) {
        ctx.withPath("items") { compare(ctx, o.allItemSchema, u.allItemSchema) }
        compareTuple(ctx, o, u)
        ctx.withPath("additionalItems") {
            if o.permitsAdditionalItems != u.permitsAdditionalItems {
                ctx.add(o.permitsAdditionalItems ? .additionalItemsRemoved : .additionalItemsAdded)
            } else if o.additionalItemsSchema == nil, u.additionalItemsSchema != nil {
                ctx.add(.additionalItemsNarrowed)
            } else if u.additionalItemsSchema == nil, o.additionalItemsSchema != nil {
                ctx.add(.additionalItemsExtended)
            } else {
                compare(ctx, o.additionalItemsSchema, u.additionalItemsSchema)
            }
        }
        compareUnevaluated(ctx, "unevaluatedItems", o.unevaluatedItems, u.unevaluatedItems,
                           added: .unevaluatedItemsAdded, removed: .unevaluatedItemsRemoved,
                           extended: .unevaluatedItemsExtended, narrowed: .unevaluatedItemsNarrowed)
        compareLimit(ctx, "maxItems", o.maxItems, u.maxItems,
                     added: .maxItemsAdded, removed: .maxItemsRemoved,
                     increased: .maxItemsIncreased, decreased: .maxItemsDecreased)
        compareLimit(ctx, "minItems", o.minItems, u.minItems,
                     added: .minItemsAdded, removed: .minItemsRemoved,
                     increased: .minItemsIncreased, decreased: .minItemsDecreased)
        if o.uniqueItems != u.uniqueItems {
            ctx.add(o.uniqueItems ? .uniqueItemsRemoved : .uniqueItemsAdded, at: "uniqueItems")
        }
        compareLimit(ctx, "maxContains", o.maxContains, u.maxContains,
                     added: .maxContainsAdded, removed: .maxContainsRemoved,
                     increased: .maxContainsIncreased, decreased: .maxContainsDecreased)
        compareLimit(ctx, "minContains", o.minContains, u.minContains,
                     added: .minContainsAdded, removed: .minContainsRemoved,
                     increased: .minContainsIncreased, decreased: .minContainsDecreased)
    }

    private static func compareTuple(_ ctx: JSONSchemaDiffContext, _ o: ArrayKeywords, _ u: ArrayKeywords) {
        let original = o.itemSchemas ?? []
        let update = u.itemSchemas ?? []
        let common = min(original.count, update.count)
        for i in 0..<common {
            ctx.withPath("items/\(i)") { compare(ctx, original[i], update[i]) }
        }
        // Removed positions are judged by the update's content model…
        for i in common..<max(common, original.count) {
            ctx.withPath("items/\(i)") {
                if isOpenContentModel(u) {
                    ctx.add(.itemRemovedFromOpenContentModel)
                } else if let covering = schemaFromPartiallyOpenContentModel(u) {
                    let sub = ctx.subcontext()
                    compare(sub, original[i], covering)
                    ctx.add(sub.differences)
                    ctx.add(sub.isCompatible ? .itemRemovedIsCoveredByPartiallyOpenContentModel
                                             : .itemRemovedNotCoveredByPartiallyOpenContentModel)
                } else {
                    ctx.add(original[i].isFalseSchema ? .itemWithFalseRemovedFromClosedContentModel
                                                      : .itemRemovedFromClosedContentModel)
                }
            }
        }
        // …added positions by the original's.
        for i in common..<max(common, update.count) {
            ctx.withPath("items/\(i)") {
                if isOpenContentModel(o) {
                    ctx.add(update[i].isEmptySchema ? .itemWithEmptySchemaAddedToOpenContentModel
                                                    : .itemAddedToOpenContentModel)
                } else if let covering = schemaFromPartiallyOpenContentModel(o) {
                    let sub = ctx.subcontext()
                    compare(sub, covering, update[i])
                    ctx.add(sub.differences)
                    ctx.add(sub.isCompatible ? .itemAddedIsCoveredByPartiallyOpenContentModel
                                             : .itemAddedNotCoveredByPartiallyOpenContentModel)
                } else {
                    ctx.add(.itemAddedToClosedContentModel)
                }
            }
        }
    }

    /// Fully open: additionalItems absent or `true`, and unevaluatedItems absent or `true`/`{}`.
    static func isOpenContentModel(_ kw: ArrayKeywords) -> Bool {
        guard kw.permitsAdditionalItems, kw.additionalItemsSchema == nil else { return false }
        return kw.unevaluatedItems?.isEmptySchema ?? true
    }

    /// The schema a partially open array applies past the tuple, if any.
    static func schemaFromPartiallyOpenContentModel(_ kw: ArrayKeywords) -> JSONSchemaNode? {
        if let schema = kw.additionalItemsSchema { return schema }
        if kw.permitsAdditionalItems, let uneval = kw.unevaluatedItems,
           !uneval.isFalseSchema, !uneval.isEmptySchema {
            return uneval
        }
        return nil
    }
}
