/// An ACL file that cannot be used.
struct AclStoreError: Error, CustomStringConvertible {
    var path: String
    var message: String
    var description: String { "\(path): \(message)" }
}
