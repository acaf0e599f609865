import Foundation
import LogStore
import NIOConcurrencyHelpers

/// The broker's catalogue of topics, persisted as `topics.json` in the data directory.
///
/// Writes go to a temporary file that is fsynced and renamed over the old one, so a
/// crash leaves either the old or the new catalogue, never a torn one.
final class TopicStore: Sendable {
    private let path: String
    private let state: NIOLockedValueBox<[String: TopicMetadata]>

    init(dataDirectory: String) throws {
        path = (dataDirectory as NSString).appendingPathComponent("topics.json")
        var topics: [String: TopicMetadata] = [:]
        if let data = FileManager.default.contents(atPath: path) {
            let list = try JSONDecoder().decode([TopicMetadata].self, from: data)
            for topic in list { topics[topic.name] = topic }
        }
        state = NIOLockedValueBox(topics)
    }

    subscript(name: String) -> TopicMetadata? {
        state.withLockedValue { $0[name] }
    }

    var all: [TopicMetadata] {
        state.withLockedValue { Array($0.values) }.sorted { $0.name < $1.name }
    }

    /// Inserts or replaces a topic and persists the catalogue before returning.
    func put(_ topic: TopicMetadata) throws {
        try state.withLockedValue { topics in
            var next = topics
            next[topic.name] = topic
            try persist(next)
            topics = next
        }
    }

    func remove(_ name: String) throws {
        try state.withLockedValue { topics in
            var next = topics
            next[name] = nil
            try persist(next)
            topics = next
        }
    }

    private func persist(_ topics: [String: TopicMetadata]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(topics.values.sorted { $0.name < $1.name })
        try DurableFile.write(data, to: path)
    }
}
