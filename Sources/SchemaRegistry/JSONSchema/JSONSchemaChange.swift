/// The kinds of change Confluent's JSON Schema diff reports (its `Difference.Type`),
/// with raw values spelled exactly as Confluent spells them (they appear in messages).
enum JSONSchemaChange: String, CaseIterable {
    /// Not Confluent's: the comparison could not be completed (nesting too deep,
    /// or a case where Confluent's own diff throws). Always incompatible.
    case comparisonFailed = "COMPARISON_FAILED"
    case idChanged = "ID_CHANGED"
    case descriptionChanged = "DESCRIPTION_CHANGED"
    case titleChanged = "TITLE_CHANGED"
    case defaultChanged = "DEFAULT_CHANGED"
    case schemaAdded = "SCHEMA_ADDED"
    case schemaRemoved = "SCHEMA_REMOVED"
    case typeExtended = "TYPE_EXTENDED"
    case typeNarrowed = "TYPE_NARROWED"
    case typeChanged = "TYPE_CHANGED"
    case maxLengthAdded = "MAX_LENGTH_ADDED"
    case maxLengthRemoved = "MAX_LENGTH_REMOVED"
    case maxLengthIncreased = "MAX_LENGTH_INCREASED"
    case maxLengthDecreased = "MAX_LENGTH_DECREASED"
    case minLengthAdded = "MIN_LENGTH_ADDED"
    case minLengthRemoved = "MIN_LENGTH_REMOVED"
    case minLengthIncreased = "MIN_LENGTH_INCREASED"
    case minLengthDecreased = "MIN_LENGTH_DECREASED"
    case patternAdded = "PATTERN_ADDED"
    case patternRemoved = "PATTERN_REMOVED"
    case patternChanged = "PATTERN_CHANGED"
    case maximumAdded = "MAXIMUM_ADDED"
    case maximumRemoved = "MAXIMUM_REMOVED"
    case maximumIncreased = "MAXIMUM_INCREASED"
    case maximumDecreased = "MAXIMUM_DECREASED"
    case minimumAdded = "MINIMUM_ADDED"
    case minimumRemoved = "MINIMUM_REMOVED"
    case minimumIncreased = "MINIMUM_INCREASED"
    case minimumDecreased = "MINIMUM_DECREASED"
    case exclusiveMaximumAdded = "EXCLUSIVE_MAXIMUM_ADDED"
    case exclusiveMaximumRemoved = "EXCLUSIVE_MAXIMUM_REMOVED"
    case exclusiveMaximumIncreased = "EXCLUSIVE_MAXIMUM_INCREASED"
    case exclusiveMaximumDecreased = "EXCLUSIVE_MAXIMUM_DECREASED"
    case exclusiveMinimumAdded = "EXCLUSIVE_MINIMUM_ADDED"
    case exclusiveMinimumRemoved = "EXCLUSIVE_MINIMUM_REMOVED"
    case exclusiveMinimumIncreased = "EXCLUSIVE_MINIMUM_INCREASED"
    case exclusiveMinimumDecreased = "EXCLUSIVE_MINIMUM_DECREASED"
    case multipleOfAdded = "MULTIPLE_OF_ADDED"
    case multipleOfRemoved = "MULTIPLE_OF_REMOVED"
    case multipleOfExpanded = "MULTIPLE_OF_EXPANDED"
    case multipleOfReduced = "MULTIPLE_OF_REDUCED"
    case multipleOfChanged = "MULTIPLE_OF_CHANGED"
    case requiredAttributeAdded = "REQUIRED_ATTRIBUTE_ADDED"
    case requiredAttributeWithDefaultAdded = "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED"
    case requiredAttributeRemoved = "REQUIRED_ATTRIBUTE_REMOVED"
    case maxPropertiesAdded = "MAX_PROPERTIES_ADDED"
    case maxPropertiesRemoved = "MAX_PROPERTIES_REMOVED"
    case maxPropertiesIncreased = "MAX_PROPERTIES_INCREASED"
    case maxPropertiesDecreased = "MAX_PROPERTIES_DECREASED"
    case minPropertiesAdded = "MIN_PROPERTIES_ADDED"
    case minPropertiesRemoved = "MIN_PROPERTIES_REMOVED"
    case minPropertiesIncreased = "MIN_PROPERTIES_INCREASED"
    case minPropertiesDecreased = "MIN_PROPERTIES_DECREASED"
    case additionalPropertiesAdded = "ADDITIONAL_PROPERTIES_ADDED"
    case additionalPropertiesRemoved = "ADDITIONAL_PROPERTIES_REMOVED"
    case additionalPropertiesExtended = "ADDITIONAL_PROPERTIES_EXTENDED"
    case additionalPropertiesNarrowed = "ADDITIONAL_PROPERTIES_NARROWED"
    case dependencyArrayAdded = "DEPENDENCY_ARRAY_ADDED"
    case dependencyArrayRemoved = "DEPENDENCY_ARRAY_REMOVED"
    case dependencyArrayExtended = "DEPENDENCY_ARRAY_EXTENDED"
    case dependencyArrayNarrowed = "DEPENDENCY_ARRAY_NARROWED"
    case dependencyArrayChanged = "DEPENDENCY_ARRAY_CHANGED"
    case dependencySchemaAdded = "DEPENDENCY_SCHEMA_ADDED"
    case dependencySchemaRemoved = "DEPENDENCY_SCHEMA_REMOVED"
    case propertyAddedToOpenContentModel = "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
    case requiredPropertyAddedToOpenContentModel = "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
    case requiredPropertyWithDefaultAddedToOpenContentModel = "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
    case optionalPropertyAddedToOpenContentModel = "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
    case propertyWithEmptySchemaAddedToOpenContentModel = "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
    case requiredPropertyAddedToUnopenContentModel = "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
    case requiredPropertyWithDefaultAddedToUnopenContentModel = "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
    case optionalPropertyAddedToUnopenContentModel = "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
    case propertyRemovedFromOpenContentModel = "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL"
    case propertyWithFalseRemovedFromClosedContentModel = "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    case propertyRemovedFromClosedContentModel = "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    case propertyRemovedIsCoveredByPartiallyOpenContentModel = "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    case propertyRemovedNotCoveredByPartiallyOpenContentModel = "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    case propertyAddedIsCoveredByPartiallyOpenContentModel = "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    case propertyAddedNotCoveredByPartiallyOpenContentModel = "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    case reservedPropertyRemoved = "RESERVED_PROPERTY_REMOVED"
    case reservedPropertyConflictsWithProperty = "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY"
    case unevaluatedPropertiesAdded = "UNEVALUATED_PROPERTIES_ADDED"
    case unevaluatedPropertiesRemoved = "UNEVALUATED_PROPERTIES_REMOVED"
    case unevaluatedPropertiesExtended = "UNEVALUATED_PROPERTIES_EXTENDED"
    case unevaluatedPropertiesNarrowed = "UNEVALUATED_PROPERTIES_NARROWED"
    case maxItemsAdded = "MAX_ITEMS_ADDED"
    case maxItemsRemoved = "MAX_ITEMS_REMOVED"
    case maxItemsIncreased = "MAX_ITEMS_INCREASED"
    case maxItemsDecreased = "MAX_ITEMS_DECREASED"
    case minItemsAdded = "MIN_ITEMS_ADDED"
    case minItemsRemoved = "MIN_ITEMS_REMOVED"
    case minItemsIncreased = "MIN_ITEMS_INCREASED"
    case minItemsDecreased = "MIN_ITEMS_DECREASED"
    case maxContainsAdded = "MAX_CONTAINS_ADDED"
    case maxContainsRemoved = "MAX_CONTAINS_REMOVED"
    case maxContainsIncreased = "MAX_CONTAINS_INCREASED"
    case maxContainsDecreased = "MAX_CONTAINS_DECREASED"
    case minContainsAdded = "MIN_CONTAINS_ADDED"
    case minContainsRemoved = "MIN_CONTAINS_REMOVED"
    case minContainsIncreased = "MIN_CONTAINS_INCREASED"
    case minContainsDecreased = "MIN_CONTAINS_DECREASED"
    case uniqueItemsAdded = "UNIQUE_ITEMS_ADDED"
    case uniqueItemsRemoved = "UNIQUE_ITEMS_REMOVED"
    case additionalItemsAdded = "ADDITIONAL_ITEMS_ADDED"
    case additionalItemsRemoved = "ADDITIONAL_ITEMS_REMOVED"
    case additionalItemsExtended = "ADDITIONAL_ITEMS_EXTENDED"
    case additionalItemsNarrowed = "ADDITIONAL_ITEMS_NARROWED"
    case unevaluatedItemsAdded = "UNEVALUATED_ITEMS_ADDED"
    case unevaluatedItemsRemoved = "UNEVALUATED_ITEMS_REMOVED"
    case unevaluatedItemsExtended = "UNEVALUATED_ITEMS_EXTENDED"
    case unevaluatedItemsNarrowed = "UNEVALUATED_ITEMS_NARROWED"
    case itemAddedToOpenContentModel = "ITEM_ADDED_TO_OPEN_CONTENT_MODEL"
    case itemWithEmptySchemaAddedToOpenContentModel = "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
    case itemAddedToClosedContentModel = "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL"
    case itemRemovedFromOpenContentModel = "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL"
    case itemWithFalseRemovedFromClosedContentModel = "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    case itemRemovedFromClosedContentModel = "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    case itemRemovedIsCoveredByPartiallyOpenContentModel = "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    case itemRemovedNotCoveredByPartiallyOpenContentModel = "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    case itemAddedIsCoveredByPartiallyOpenContentModel = "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    case itemAddedNotCoveredByPartiallyOpenContentModel = "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    case enumArrayExtended = "ENUM_ARRAY_EXTENDED"
    case enumArrayNarrowed = "ENUM_ARRAY_NARROWED"
    case enumArrayChanged = "ENUM_ARRAY_CHANGED"
    case combinedTypeExtended = "COMBINED_TYPE_EXTENDED"
    case combinedTypeChanged = "COMBINED_TYPE_CHANGED"
    case productTypeExtended = "PRODUCT_TYPE_EXTENDED"
    case productTypeNarrowed = "PRODUCT_TYPE_NARROWED"
    case sumTypeExtended = "SUM_TYPE_EXTENDED"
    case sumTypeNarrowed = "SUM_TYPE_NARROWED"
    case combinedTypeSubschemasChanged = "COMBINED_TYPE_SUBSCHEMAS_CHANGED"
    case notTypeExtended = "NOT_TYPE_EXTENDED"
    case notTypeNarrowed = "NOT_TYPE_NARROWED"

    /// The changes Confluent's STRICT policy (its default) accepts: a diff is
    /// compatible only when every change it contains is in this set.
    static let compatibleStrict: Set<JSONSchemaChange> = [
        .idChanged,
        .descriptionChanged,
        .titleChanged,
        .defaultChanged,
        .schemaRemoved,
        .typeExtended,
        .maxLengthIncreased,
        .maxLengthRemoved,
        .minLengthDecreased,
        .minLengthRemoved,
        .patternRemoved,
        .maximumIncreased,
        .maximumRemoved,
        .minimumDecreased,
        .minimumRemoved,
        .exclusiveMaximumIncreased,
        .exclusiveMaximumRemoved,
        .exclusiveMinimumDecreased,
        .exclusiveMinimumRemoved,
        .multipleOfReduced,
        .multipleOfRemoved,
        .requiredAttributeWithDefaultAdded,
        .requiredAttributeRemoved,
        .dependencyArrayNarrowed,
        .dependencyArrayRemoved,
        .dependencySchemaRemoved,
        .maxPropertiesIncreased,
        .maxPropertiesRemoved,
        .minPropertiesDecreased,
        .minPropertiesRemoved,
        .additionalPropertiesAdded,
        .additionalPropertiesExtended,
        .unevaluatedPropertiesAdded,
        .unevaluatedPropertiesExtended,
        .propertyWithEmptySchemaAddedToOpenContentModel,
        .requiredPropertyWithDefaultAddedToUnopenContentModel,
        .optionalPropertyAddedToUnopenContentModel,
        .propertyWithFalseRemovedFromClosedContentModel,
        .propertyRemovedFromOpenContentModel,
        .propertyAddedIsCoveredByPartiallyOpenContentModel,
        .propertyRemovedIsCoveredByPartiallyOpenContentModel,
        .maxItemsIncreased,
        .maxItemsRemoved,
        .minItemsDecreased,
        .minItemsRemoved,
        .maxContainsIncreased,
        .maxContainsRemoved,
        .minContainsDecreased,
        .minContainsRemoved,
        .uniqueItemsRemoved,
        .additionalItemsAdded,
        .additionalItemsExtended,
        .unevaluatedItemsAdded,
        .unevaluatedItemsExtended,
        .itemWithEmptySchemaAddedToOpenContentModel,
        .itemAddedToClosedContentModel,
        .itemWithFalseRemovedFromClosedContentModel,
        .itemRemovedFromOpenContentModel,
        .itemAddedIsCoveredByPartiallyOpenContentModel,
        .itemRemovedIsCoveredByPartiallyOpenContentModel,
        .enumArrayExtended,
        .combinedTypeExtended,
        .productTypeNarrowed,
        .sumTypeExtended,
        .notTypeNarrowed,
    ]

    var isCompatible: Bool { Self.compatibleStrict.contains(self) }
}
