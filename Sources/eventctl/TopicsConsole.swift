import Foundation

/// Output of the `topics` subcommands: results to stdout (what CI shows as the
/// plan), diagnostics to stderr.
enum TopicsConsole {
    /// Writes `text` to stdout as is.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes one diagnostic line to stderr.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
