/// A reconciler failure that is not a single Kafka error, e.g. a topic the
/// cluster's metadata reports an error for.
struct TopicsReconcilerError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
