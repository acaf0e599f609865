import Foundation
import Yams

/// Walks a composed topics.yaml document, checking its structure and every value,
/// and builds the ``TopicsFile`` when no problem was found.
///
/// Working on Yams `Node`s rather than decoding into `Codable` types is what
/// gives each problem a line and column, and lets validation continue past
/// the first problem.
struct TopicsFileValidator {
    let fileName: String
    /// When set (files loaded from disk), schema paths must exist relative to it.
    let baseDirectory: URL?

    static let topLevelKeys: Set<String> = ["defaults", "topics"]
    static let defaultsKeys: Set<String> = ["replication_factor", "min_insync_replicas"]

    func validate(yaml: String) throws(TopicsFileErrors) -> TopicsFile {
        let reader = NodeReader(fileName: fileName)
        let root: Node?
        if let (line, column) = YAMLNestingGuard.firstTooDeepPosition(in: yaml) {
            throw TopicsFileErrors([TopicsFileError(
                fileName: fileName, line: line, column: column,
                message: "YAML nested deeper than \(YAMLNestingGuard.maxDepth) levels")])
        }
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw TopicsFileErrors([syntaxError(error, yaml: yaml)])
        }
        guard let root else {
            throw TopicsFileErrors([TopicsFileError(
                fileName: fileName, line: 0, column: 0, message: "file is empty; expected 'defaults' and 'topics'")])
        }
        guard let mapping = reader.mapping(root, what: "the file", context: "at top level") else {
            throw TopicsFileErrors(reader.errors)
        }
        let entries = reader.entries(of: mapping, allowed: Self.topLevelKeys, context: "at top level")
        let byKey = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0) })

        let defaults = byKey["defaults"].map { readDefaults($0, reader: reader) } ?? .singleNode
        var topics: [TopicSpec] = []
        if let entry = byKey["topics"] {
            topics = readTopics(entry, defaults: defaults, reader: reader)
        } else {
            reader.report("missing required key 'topics' at top level", line: 1, column: 1)
        }

        guard reader.errors.isEmpty else {
            throw TopicsFileErrors(reader.errors)
        }
        return TopicsFile(fileName: fileName, baseDirectory: baseDirectory, defaults: defaults, topics: topics)
    }

    /// The `defaults:` section; unreadable values fall back to the single-node defaults
    /// so the topics can still be checked (the file is rejected anyway).
    private func readDefaults(_ entry: NodeReader.Entry, reader: NodeReader) -> TopicDefaults {
        var defaults = TopicDefaults.singleNode
        let context = "in defaults"
        guard let mapping = reader.mapping(entry.value, what: "'defaults'", context: "at top level") else {
            return defaults
        }
        let entries = reader.entries(of: mapping, allowed: Self.defaultsKeys, context: context)
        let byKey = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0) })
        if let item = byKey["replication_factor"],
           let value = reader.int(item, in: 1...TopicSpecReader.int16Max, context: context) {
            defaults.replicationFactor = Int(value)
        }
        if let item = byKey["min_insync_replicas"],
           let value = reader.int(item, in: 1...TopicSpecReader.int32Max, context: context) {
            defaults.minInsyncReplicas = Int(value)
        }
        if defaults.minInsyncReplicas > defaults.replicationFactor,
           let at = byKey["min_insync_replicas"] ?? byKey["replication_factor"] {
            reader.report(
                "min_insync_replicas \(defaults.minInsyncReplicas) exceeds replication_factor \(defaults.replicationFactor) \(context)",
                at: at.value)
        }
        return defaults
    }

    /// The `topics:` section, in file order.
    private func readTopics(_ entry: NodeReader.Entry, defaults: TopicDefaults, reader: NodeReader) -> [TopicSpec] {
        // `topics:` with nothing under it composes to a null scalar: no topics declared.
        if NodeReader.isNull(entry.value) {
            return []
        }
        guard let mapping = reader.mapping(entry.value, what: "'topics'", context: "at top level") else {
            return []
        }
        let topicReader = TopicSpecReader(reader: reader, defaults: defaults, baseDirectory: baseDirectory)
        var firstByName: [String: Node] = [:]
        var firstByMetricName: [String: (name: String, node: Node)] = [:]
        var topics: [TopicSpec] = []
        for (nameNode, value) in mapping {
            guard let name = nameNode.scalar?.string else {
                reader.report("topic names must be plain names under 'topics'", at: nameNode)
                continue
            }
            if let problem = TopicNameValidator.problem(with: name) {
                reader.report(problem, at: nameNode)
            }
            if let first = firstByName[name] {
                reader.report("duplicate topic name '\(name)' (first declared at line \(first.mark?.line ?? 0))", at: nameNode)
                continue
            }
            firstByName[name] = nameNode
            // Kafka refuses a topic whose name differs from an existing one only by
            // '.' versus '_', because their metric names would be the same.
            let metricName = TopicNameValidator.metricName(name)
            if let other = firstByMetricName[metricName] {
                reader.report(
                    "topic name '\(name)' collides with '\(other.name)' (line \(other.node.mark?.line ?? 0)): Kafka treats '.' and '_' alike",
                    at: nameNode)
            } else {
                firstByMetricName[metricName] = (name, nameNode)
            }
            if let spec = topicReader.read(name: name, nameNode: nameNode, value: value) {
                topics.append(spec)
            }
        }
        return topics
    }

    /// A Yams/libYAML error as a positioned ``TopicsFileError``.
    private func syntaxError(_ error: any Error, yaml: String) -> TopicsFileError {
        guard let yamlError = error as? YamlError else {
            return TopicsFileError(fileName: fileName, line: 0, column: 0, message: "cannot parse YAML: \(error)")
        }
        func positioned(_ kind: String, _ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> TopicsFileError {
            var message = "YAML \(kind) error: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return TopicsFileError(fileName: fileName, line: mark.line, column: mark.column, message: message)
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _):
            return positioned("syntax", context, problem, mark)
        case let .parser(context, problem, mark, _):
            return positioned("syntax", context, problem, mark)
        case let .composer(context, problem, mark, _):
            return positioned("structure", context, problem, mark)
        case let .reader(problem, offset, _, _):
            let (line, column) = offset.map { Self.lineAndColumn(ofCharacterOffset: $0, in: yaml) } ?? (0, 0)
            return TopicsFileError(fileName: fileName, line: line, column: column, message: "cannot read YAML: \(problem)")
        default:
            return TopicsFileError(fileName: fileName, line: 0, column: 0, message: "cannot parse YAML: \(yamlError)")
        }
    }

    /// 1-based line and column of a character offset.
    private static func lineAndColumn(ofCharacterOffset offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
