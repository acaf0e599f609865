/// A failure of `eventctl demo` worth a plain message (exit 1).
struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
