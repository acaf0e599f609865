import ArgumentParser
import Sagas

/// `eventctl sagas diagram` — the payment saga as a Mermaid state diagram.
struct SagasDiagramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagram",
        abstract: "Print the payment saga definition as a Mermaid state diagram.")

    @Flag(name: .long, help: "Wrap the diagram in a ```mermaid fence, ready for Markdown.")
    var markdown = false

    func run() throws {
        let diagram = PaymentSaga.definition().mermaidDiagram()
        print(markdown ? "```mermaid\n\(diagram)```" : diagram, terminator: "")
    }
}
