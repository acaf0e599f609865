/// Security settings the broker cannot start with.
struct SecurityConfigurationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) {
        self.description = description
    }
}
