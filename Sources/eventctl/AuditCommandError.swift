/// An error that ends an audit command with exit code 1 and a message (not evidence of
/// tampering, which is exit code 3).
struct AuditCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
