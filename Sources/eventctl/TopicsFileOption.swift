import ArgumentParser
import TopicPolicy

/// The `--file` option every `topics` subcommand takes, and loading it.
struct TopicsFileOption: ParsableArguments {
    @Option(name: .long, help: "The topics file.")
    var file: String = "topics.yaml"

    /// Loads and validates the file; on errors prints each as `file:line:col: message`
    /// to stderr and exits 1.
    func load() throws -> TopicsFile {
        do {
            return try TopicsFile.load(path: file)
        } catch let errors as TopicsFileErrors {
            for error in errors.errors { TopicsConsole.error(error.description) }
            throw ExitCode.failure
        }
    }
}
