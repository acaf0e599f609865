import ArgumentParser
import TopicPolicy

/// `eventctl topics lint [--file topics.yaml]`: validates the file offline.
///
/// Exit 0 when valid; 1 with every problem printed to stderr as `file:line:col: message`.
struct TopicsLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate a topics file offline; prints every problem as file:line:col: message.")

    @OptionGroup var file: TopicsFileOption

    func run() async throws {
        let topics = try file.load()
        TopicsConsole.out("\(file.file): ok (\(topics.topics.count) topic\(topics.topics.count == 1 ? "" : "s"))\n")
    }
}
