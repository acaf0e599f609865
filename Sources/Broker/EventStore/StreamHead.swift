/// An aggregate's last stored version, and the append that stored it.
struct StreamHead: Equatable {
    var version: Int64
    var appendID: String?
}
