import KafkaProtocol
import NIOCore

/// What the version check reads from an event record's headers.
///
/// `aggregate-id` and `aggregate-version` place the record in its stream. The optional
/// `append-id` and `append-first-version` (written by the EventSourcing library) tie the
/// records of one append together: if a producer split an append over two batches and the
/// first was refused, the second must not slip in behind another writer's events just
/// because its version happens to be next.
struct VersionedRecord: Equatable {
    static let aggregateIDHeader = "aggregate-id"
    static let aggregateVersionHeader = "aggregate-version"
    static let appendIDHeader = "append-id"
    static let appendFirstVersionHeader = "append-first-version"

    var aggregateID: String
    var version: Int64
    var appendID: String?
    var appendFirstVersion: Int64?

    /// The record's versioning headers, or nil when it does not carry both `aggregate-id`
    /// and `aggregate-version` (then it is not an event and not checked).
    ///
    /// - Throws: ``ExpectedVersionConflict/malformedVersion(aggregateID:text:)``.
    init?(_ record: Record) throws {
        var aggregateID: String?
        var versionText: String?
        var appendID: String?
        var firstText: String?
        for header in record.headers {
            // Last one wins, as for Kafka headers read into a map (and EventEnvelope).
            let text = header.value.map { String(buffer: $0) }
            switch header.key {
            case Self.aggregateIDHeader: aggregateID = text
            case Self.aggregateVersionHeader: versionText = text
            case Self.appendIDHeader: appendID = text
            case Self.appendFirstVersionHeader: firstText = text
            default: break
            }
        }
        guard let aggregateID, let versionText else { return nil }
        guard let version = Int64(versionText), version >= 1 else {
            throw ExpectedVersionConflict.malformedVersion(aggregateID: aggregateID, text: versionText)
        }
        self.aggregateID = aggregateID
        self.version = version
        self.appendID = appendID
        if let firstText {
            guard let first = Int64(firstText), first >= 1, first <= version else {
                throw ExpectedVersionConflict.malformedVersion(aggregateID: aggregateID, text: "append-first-version \(firstText)")
            }
            appendFirstVersion = first
        }
    }

    init(aggregateID: String, version: Int64, appendID: String? = nil, appendFirstVersion: Int64? = nil) {
        self.aggregateID = aggregateID
        self.version = version
        self.appendID = appendID
        self.appendFirstVersion = appendFirstVersion
    }
}
