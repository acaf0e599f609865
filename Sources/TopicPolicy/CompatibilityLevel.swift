@_exported import enum SchemaRegistry.CompatibilityLevel

// A topic's `schema.compatibility` is the registry's own level type, so the broker hands the
// declared level to the registry without translating it.
