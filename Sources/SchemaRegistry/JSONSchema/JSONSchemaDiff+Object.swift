import Foundation

/// Confluent's `ObjectSchemaDiff`: required, properties against open / closed /
/// partially open content models, dependencies, additional and unevaluated
/// properties, and property-count limits.
extension JSONSchemaDiff {
    static func compareObject(_ ctx: JSONSchemaDiffContext, _ o: ObjectKeywords, _ u: ObjectKeywords) {
        compareRequired(ctx, o, u)
        compareProperties(ctx, o, u)
        compareDependencies(ctx, o, u)
        compareAdditionalProperties(ctx, o, u)
        compareUnevaluated(ctx, "unevaluatedProperties", o.unevaluatedProperties, u.unevaluatedProperties,
                           added: .unevaluatedPropertiesAdded, removed: .unevaluatedPropertiesRemoved,
                           extended: .unevaluatedPropertiesExtended, narrowed: .unevaluatedPropertiesNarrowed)
        compareLimit(ctx, "maxProperties", o.maxProperties, u.maxProperties,
                     added: .maxPropertiesAdded, removed: .maxPropertiesRemoved,
                     increased: .maxPropertiesIncreased, decreased: .maxPropertiesDecreased)
        compareLimit(ctx, "minProperties", o.minProperties, u.minProperties,
                     added: .minPropertiesAdded, removed: .minPropertiesRemoved,
                     increased: .minPropertiesIncreased, decreased: .minPropertiesDecreased)
    }

    private static func compareRequired(_ ctx: JSONSchemaDiffContext, _ o: ObjectKeywords, _ u: ObjectKeywords) {
        ctx.withPath("required") {
            for (name, _) in o.properties {
                guard let updateSchema = u.property(name) else { continue }
                let wasRequired = o.required.contains(name)
                let isRequired = u.required.contains(name)
                if wasRequired && !isRequired {
                    ctx.add(.requiredAttributeRemoved, at: name)
                } else if !wasRequired && isRequired {
                    ctx.add(updateSchema.hasDefaultValue ? .requiredAttributeWithDefaultAdded : .requiredAttributeAdded, at: name)
                }
            }
        }
    }

    private static func compareProperties(_ ctx: JSONSchemaDiffContext, _ o: ObjectKeywords, _ u: ObjectKeywords) {
        var names = o.properties.map(\.name)
        for (name, _) in u.properties where !names.contains(name) { names.append(name) }
        ctx.withPath("properties") {
            for name in names {
                ctx.withPath(name) {
                    let originalSchema = o.property(name)
                    let updateSchema = u.property(name)
                    if let originalSchema, updateSchema == nil {
                        propertyRemoved(ctx, name, originalSchema, update: u)
                    } else if originalSchema == nil, let updateSchema {
                        propertyAdded(ctx, name, updateSchema, original: o, update: u)
                    } else {
                        compare(ctx, originalSchema, updateSchema)
                    }
                }
            }
        }
    }

    /// Removing a property is judged by the update's content model only.
    private static func propertyRemoved(_ ctx: JSONSchemaDiffContext, _ name: String, _ originalSchema: JSONSchemaNode, update u: ObjectKeywords) {
        if isOpenContentModel(u) {
            ctx.add(.propertyRemovedFromOpenContentModel)
        } else if let covering = schemaFromPartiallyOpenContentModel(u, name) {
            let sub = ctx.subcontext()
            compare(sub, originalSchema, covering)
            ctx.add(sub.differences)
            ctx.add(sub.isCompatible ? .propertyRemovedIsCoveredByPartiallyOpenContentModel
                                     : .propertyRemovedNotCoveredByPartiallyOpenContentModel)
        } else if originalSchema.isFalseSchema {
            ctx.add(.propertyWithFalseRemovedFromClosedContentModel)
        } else {
            ctx.add(.propertyRemovedFromClosedContentModel)
        }
    }

    /// Adding a property is judged by the original's content model only.
    private static func propertyAdded(_ ctx: JSONSchemaDiffContext, _ name: String, _ updateSchema: JSONSchemaNode, original o: ObjectKeywords, update u: ObjectKeywords) {
        if isOpenContentModel(o) {
            if updateSchema.isEmptySchema {
                ctx.add(.propertyWithEmptySchemaAddedToOpenContentModel)
            } else if u.required.contains(name) {
                ctx.add(updateSchema.hasDefaultValue ? .requiredPropertyWithDefaultAddedToOpenContentModel
                                                     : .requiredPropertyAddedToOpenContentModel)
            } else {
                ctx.add(.optionalPropertyAddedToOpenContentModel)
            }
            return
        }
        if let covering = schemaFromPartiallyOpenContentModel(o, name) {
            let sub = ctx.subcontext()
            compare(sub, covering, updateSchema)
            ctx.add(sub.differences)
            ctx.add(sub.isCompatible ? .propertyAddedIsCoveredByPartiallyOpenContentModel
                                     : .propertyAddedNotCoveredByPartiallyOpenContentModel)
        }
        // Closed and partially open models alike.
        if u.required.contains(name) {
            ctx.add(updateSchema.hasDefaultValue ? .requiredPropertyWithDefaultAddedToUnopenContentModel
                                                 : .requiredPropertyAddedToUnopenContentModel)
        } else {
            ctx.add(.optionalPropertyAddedToUnopenContentModel)
        }
    }

    private static func compareDependencies(_ ctx: JSONSchemaDiffContext, _ o: ObjectKeywords, _ u: ObjectKeywords) {
        ctx.withPath("dependencies") {
            let names = Set(o.propertyDependencies.keys).union(u.propertyDependencies.keys).sorted()
            for name in names {
                ctx.withPath(name) {
                    guard let updateDeps = u.propertyDependencies[name] else {
                        ctx.add(.dependencyArrayRemoved)
                        return
                    }
                    guard let originalDeps = o.propertyDependencies[name] else {
                        ctx.add(.dependencyArrayAdded)
                        return
                    }
                    if originalDeps == updateDeps { return }
                    if updateDeps.isSuperset(of: originalDeps) {
                        ctx.add(.dependencyArrayExtended)
                    } else if originalDeps.isSuperset(of: updateDeps) {
                        ctx.add(.dependencyArrayNarrowed)
                    } else {
                        ctx.add(.dependencyArrayChanged)
                    }
                }
            }
            var schemaNames = o.schemaDependencies.map(\.name)
            for (name, _) in u.schemaDependencies where !schemaNames.contains(name) { schemaNames.append(name) }
            for name in schemaNames {
                ctx.withPath(name) {
                    let originalSchema = o.schemaDependency(name)
                    let updateSchema = u.schemaDependency(name)
                    if updateSchema == nil {
                        ctx.add(.dependencySchemaRemoved)
                    } else if originalSchema == nil {
                        ctx.add(.dependencySchemaAdded)
                    } else {
                        compare(ctx, originalSchema, updateSchema)
                    }
                }
            }
        }
    }

    private static func compareAdditionalProperties(_ ctx: JSONSchemaDiffContext, _ o: ObjectKeywords, _ u: ObjectKeywords) {
        ctx.withPath("additionalProperties") {
            if o.permitsAdditionalProperties != u.permitsAdditionalProperties {
                ctx.add(u.permitsAdditionalProperties ? .additionalPropertiesAdded : .additionalPropertiesRemoved)
            } else if o.additionalPropertiesSchema == nil, u.additionalPropertiesSchema != nil {
                ctx.add(.additionalPropertiesNarrowed)
            } else if u.additionalPropertiesSchema == nil, o.additionalPropertiesSchema != nil {
                ctx.add(.additionalPropertiesExtended)
            } else {
                compare(ctx, o.additionalPropertiesSchema, u.additionalPropertiesSchema)
            }
        }
    }

    /// Shared by unevaluatedProperties and unevaluatedItems (2020-12).
    static func compareUnevaluated(
        _ ctx: JSONSchemaDiffContext, _ name: String, _ o: JSONSchemaNode?, _ u: JSONSchemaNode?,
        added: JSONSchemaChange, removed: JSONSchemaChange,
        extended: JSONSchemaChange, narrowed: JSONSchemaChange
    ) {
        if o == nil && u == nil { return }
        ctx.withPath(name) {
            guard let o else {
                ctx.add(u!.isFalseSchema ? removed : narrowed)
                return
            }
            guard let u else {
                ctx.add(o.isFalseSchema ? added : extended)
                return
            }
            if o.isFalseSchema && !u.isFalseSchema {
                ctx.add(added)
            } else if !o.isFalseSchema && u.isFalseSchema {
                ctx.add(removed)
            } else if o.isEmptySchema && !u.isEmptySchema {
                ctx.add(narrowed)
            } else if !o.isEmptySchema && u.isEmptySchema {
                ctx.add(extended)
            } else {
                compare(ctx, o, u)
            }
        }
    }

    /// Fully open: additionalProperties absent or `true`, no patternProperties,
    /// and unevaluatedProperties absent or `true`/`{}`.
    static func isOpenContentModel(_ kw: ObjectKeywords) -> Bool {
        guard kw.permitsAdditionalProperties, kw.additionalPropertiesSchema == nil,
              kw.patternProperties.isEmpty else { return false }
        return kw.unevaluatedProperties?.isEmptySchema ?? true
    }

    /// The schema that a partially open model applies to property `name`, if any:
    /// a matching patternProperties entry, else the additionalProperties schema,
    /// else (additionalProperties absent) a non-trivial unevaluatedProperties schema.
    static func schemaFromPartiallyOpenContentModel(_ kw: ObjectKeywords, _ name: String) -> JSONSchemaNode? {
        for (pattern, schema) in kw.patternProperties where JSONSchemaRegex.find(pattern, in: name) {
            return schema
        }
        if let schema = kw.additionalPropertiesSchema { return schema }
        if kw.permitsAdditionalProperties, let uneval = kw.unevaluatedProperties,
           !uneval.isFalseSchema, !uneval.isEmptySchema {
            return uneval
        }
        return nil
    }
}
