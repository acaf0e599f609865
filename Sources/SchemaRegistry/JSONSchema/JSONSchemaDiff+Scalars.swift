import Foundation

/// Confluent's `StringSchemaDiff`, `NumberSchemaDiff` and `EnumSchemaDiff`.
extension JSONSchemaDiff {
    static func compareString(_ ctx: JSONSchemaDiffContext, _ o: StringKeywords, _ u: StringKeywords) {
        compareLimit(ctx, "maxLength", o.maxLength, u.maxLength,
                     added: .maxLengthAdded, removed: .maxLengthRemoved,
                     increased: .maxLengthIncreased, decreased: .maxLengthDecreased)
        compareLimit(ctx, "minLength", o.minLength, u.minLength,
                     added: .minLengthAdded, removed: .minLengthRemoved,
                     increased: .minLengthIncreased, decreased: .minLengthDecreased)
        switch (o.pattern, u.pattern) {
        case (nil, .some): ctx.add(.patternAdded, at: "pattern")
        case (.some, nil): ctx.add(.patternRemoved, at: "pattern")
        case (.some(let a), .some(let b)) where a != b: ctx.add(.patternChanged, at: "pattern")
        default: break
        }
    }

    static func compareNumber(_ ctx: JSONSchemaDiffContext, _ o: NumberKeywords, _ u: NumberKeywords) {
        compareBound(ctx, "maximum", o.maximum, u.maximum,
                     added: .maximumAdded, removed: .maximumRemoved,
                     increased: .maximumIncreased, decreased: .maximumDecreased)
        compareBound(ctx, "minimum", o.minimum, u.minimum,
                     added: .minimumAdded, removed: .minimumRemoved,
                     increased: .minimumIncreased, decreased: .minimumDecreased)
        if !sameNumber(o.exclusiveMaximum, u.exclusiveMaximum) {
            if o.exclusiveMaximum == nil {
                ctx.add(.exclusiveMaximumAdded, at: "exclusiveMaximum")
            } else if u.exclusiveMaximum == nil {
                ctx.add(.exclusiveMaximumRemoved, at: "exclusiveMaximum")
            } else if o.exclusiveMaximum!.doubleValue! < u.exclusiveMaximum!.doubleValue! {
                ctx.add(.exclusiveMaximumIncreased, at: "exclusiveMaximum")
            } else if let max = u.maximum?.doubleValue {
                // Confluent compares a decreased exclusiveMaximum against the update's
                // `maximum` (not its exclusiveMaximum); mirrored as written.
                if o.exclusiveMaximum!.doubleValue! > max {
                    ctx.add(.exclusiveMaximumDecreased, at: "exclusiveMaximum")
                }
            } else {
                // …and throws when the update has no `maximum`; the check fails.
                ctx.add(.comparisonFailed, at: "exclusiveMaximum")
            }
        }
        compareBound(ctx, "exclusiveMinimum", o.exclusiveMinimum, u.exclusiveMinimum,
                     added: .exclusiveMinimumAdded, removed: .exclusiveMinimumRemoved,
                     increased: .exclusiveMinimumIncreased, decreased: .exclusiveMinimumDecreased)
        compareMultipleOf(ctx, o.multipleOf, u.multipleOf)
        if o.requiresInteger != u.requiresInteger {
            ctx.add(o.requiresInteger ? .typeExtended : .typeNarrowed)
        }
    }

    /// Java's `Objects.equals` on boxed numbers: same value and same integral-ness.
    private static func sameNumber(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?): return x == y && x.isIntegerLiteral == y.isIntegerLiteral
        default: return false
        }
    }

    private static func compareBound(
        _ ctx: JSONSchemaDiffContext, _ name: String, _ o: JSONValue?, _ u: JSONValue?,
        added: JSONSchemaChange, removed: JSONSchemaChange,
        increased: JSONSchemaChange, decreased: JSONSchemaChange
    ) {
        guard !sameNumber(o, u) else { return }
        if o == nil {
            ctx.add(added, at: name)
        } else if u == nil {
            ctx.add(removed, at: name)
        } else if let a = o?.doubleValue, let b = u?.doubleValue {
            if a < b { ctx.add(increased, at: name) } else if a > b { ctx.add(decreased, at: name) }
        }
    }

    private static func compareMultipleOf(_ ctx: JSONSchemaDiffContext, _ o: JSONValue?, _ u: JSONValue?) {
        let original = o.flatMap(ScaledDecimal.init)
        let update = u.flatMap(ScaledDecimal.init)
        switch (original, update) {
        case (nil, nil):
            return
        case (nil, _):
            ctx.add(.multipleOfAdded, at: "multipleOf")
        case (_, nil):
            ctx.add(.multipleOfRemoved, at: "multipleOf")
        case (let a?, let b?):
            if a.isEqual(to: b) { return }
            if !a.isZero, b.isMultiple(of: a) {
                ctx.add(.multipleOfExpanded, at: "multipleOf")
            } else if !b.isZero, a.isMultiple(of: b) {
                ctx.add(.multipleOfReduced, at: "multipleOf")
            } else {
                ctx.add(.multipleOfChanged, at: "multipleOf")
            }
        }
    }

    static func compareEnum(_ ctx: JSONSchemaDiffContext, _ o: [JSONValue], _ u: [JSONValue]) {
        let oInU = o.allSatisfy { u.contains($0) }
        let uInO = u.allSatisfy { o.contains($0) }
        if oInU && uInO { return }
        if oInU {
            ctx.add(.enumArrayExtended, at: "enum")
        } else if uInO {
            ctx.add(.enumArrayNarrowed, at: "enum")
        } else {
            ctx.add(.enumArrayChanged, at: "enum")
        }
    }
}
