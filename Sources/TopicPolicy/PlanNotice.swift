/// Something a plan reports but leaves alone; notices never make a plan pending or failed.
public enum PlanNotice: Sendable, Hashable {
    /// A topic on the cluster that the file does not declare, kept because
    /// `allowDelete` was not given (or, if `immutable`, because it never can be deleted
    /// and is reported as a refusal instead when deletion is allowed).
    case undeclaredTopic(name: String, immutable: Bool)
    /// A config set on a declared topic that the file does not declare; the
    /// reconciler manages only declared configs.
    case unmanagedConfig(topic: String, name: String, value: String)
}
