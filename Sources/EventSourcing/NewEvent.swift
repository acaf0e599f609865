import Foundation

/// An event to append, with the envelope fields the caller chooses.
///
/// Give a retried append the same ``eventID``s as the first attempt: the store recognises
/// events it already holds and answers the retry with their versions instead of a conflict.
public struct NewEvent<Event: DomainEvent>: Sendable {
    public var event: Event
    public var eventID: String
    public var correlationID: String?
    public var causationID: String?
    public var occurredAt: Date

    public init(_ event: Event, eventID: String = UUID().uuidString.lowercased(), correlationID: String? = nil, causationID: String? = nil, occurredAt: Date = Date()) {
        self.event = event
        self.eventID = eventID
        self.correlationID = correlationID
        self.causationID = causationID
        self.occurredAt = occurredAt
    }
}
