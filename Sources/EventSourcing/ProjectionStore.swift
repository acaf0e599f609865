/// Where projections keep their checkpoints. `save` must be atomic: after a crash `load`
/// returns either the previous checkpoint or the new one, never a mix of state and offsets.
public protocol ProjectionStore: Sendable {
    func load<State: Codable & Sendable>(_ type: State.Type, projection name: String) throws -> ProjectionCheckpoint<State>?
    func save<State: Codable & Sendable>(_ checkpoint: ProjectionCheckpoint<State>, projection name: String) throws
}
