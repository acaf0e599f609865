/// The value of a record in the snapshots topic (JSON; key = aggregate id).
struct SnapshotRecord<State: Codable>: Codable {
    var aggregateID: String
    var version: Int64
    /// Offset of the snapshot's last event in the events partition: replay resumes after it.
    var lastEventOffset: Int64
    var state: State
}
