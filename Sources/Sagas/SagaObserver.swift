/// Sees every saga transition after it was persisted, e.g. to write an audit trail.
///
/// Called on the orchestrator's executor: it must not block. After a restart a transition
/// may be seen again (at least once), so records it writes should carry stable ids.
public protocol SagaObserver: Sendable {
    func sagaChanged(_ state: SagaState, events: [SagaEvent], definition: SagaDefinition)
}
