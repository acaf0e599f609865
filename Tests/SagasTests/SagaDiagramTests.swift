import Testing
@testable import Sagas

@Suite struct SagaDiagramTests {
    @Test func paymentSagaDiagramShowsStepsFailuresAndReverseCompensation() {
        let diagram = PaymentSaga.definition().mermaidDiagram()
        let lines = Set(diagram.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(diagram.hasPrefix("stateDiagram-v2\n"))
        #expect(lines.contains("state \"validate<br/>ValidatePayment → payments-commands\" as s0"))
        #expect(lines.contains("s0 --> s1 : succeeded"))
        #expect(lines.contains("s5 --> Completed : succeeded"))
        // Nothing to undo before a reservation exists.
        #expect(lines.contains("s2 --> Compensated : rejected, out of attempts or past a deadline"))
        // Capture fails → void the authorization, then release the reservation.
        #expect(lines.contains("s4 --> c3 : rejected, out of attempts or past a deadline"))
        #expect(lines.contains("c4 --> c3 : compensated"))
        #expect(lines.contains("c3 --> c2 : compensated"))
        #expect(lines.contains("c2 --> Compensated : compensated"))
        #expect(lines.contains("s1 --> AwaitingReview : review required"))
        #expect(lines.contains("AwaitingReview --> s2 : approved"))
        #expect(lines.contains("AwaitingReview --> Compensated : rejected"))
        #expect(lines.contains("c2 --> c2 : failed, retried until it succeeds"))
    }
}
