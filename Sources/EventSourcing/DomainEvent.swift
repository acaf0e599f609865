/// A fact in a domain, stored as one record of its aggregate's stream.
///
/// The payload is whatever the store's ``EventCodec`` makes of the `Codable` value (JSON by
/// default); ``eventType`` goes to the `event-type` header so readers can tell events apart
/// without decoding them.
///
/// ```swift
/// enum AccountEvent: DomainEvent {
///     case opened(owner: String)
///     case deposited(amountMinor: Int64)
///     var eventType: String { switch self { case .opened: "AccountOpened"; case .deposited: "MoneyDeposited" } }
/// }
/// ```
public protocol DomainEvent: Codable, Sendable {
    /// The name written to the `event-type` header; by default the Swift type's name.
    var eventType: String { get }
}

extension DomainEvent {
    public var eventType: String { String(describing: Self.self) }
}
