/// One change found by the diff, at a JSON-pointer-like path (`#/properties/foo`).
struct JSONSchemaDifference: Equatable {
    var change: JSONSchemaChange
    var path: String

    /// `TYPE #/path`, the form the conformance cases record Confluent's changes in.
    var message: String { "\(change.rawValue) \(path)" }
}
