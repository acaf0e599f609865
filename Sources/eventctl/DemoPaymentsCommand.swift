import ArgumentParser
import Foundation
import Logging
import Sagas

/// `eventctl demo payments [--bootstrap HOST:PORT] [--count N]` — payment sagas end to end.
///
/// Runs the orchestrator and the two simulated participants (payments, ledger) in this
/// process against a broker (an embedded `eventd` when no bootstrap is given), starts N
/// payments, waits until each is completed, compensated or awaiting review, prints a
/// summary, checks the invariants from the broker's topics (exit 1 when one fails) and ends
/// by verifying the audit chain of compliance-events and risk-assessments (exit 3 on a
/// mismatch). Killed half-way, the same command with the same `--run-id` resumes the run.
struct DemoPaymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments",
        abstract: "Run payment sagas end to end with simulated participants, then verify invariants and the audit chain.")

    @Option(name: .long, help: ArgumentHelp("Broker to use (default: start an embedded eventd).", valueName: "host:port"))
    var bootstrap: String?

    @Option(name: .long, help: "Number of payments.")
    var count = 100

    @Option(name: .long, help: "Names the run; the same id continues the same payments after a crash (default: random).")
    var runID: String?

    @Option(name: .long, help: "Chance (0-1) that a participant fails a command transiently.")
    var failureRate = 0.05

    @Option(name: .long, help: "Chance (0-1) that a participant's reply is lost after it applied the command.")
    var dropReplyRate = 0.01

    @Option(name: .long, help: "Most simulated processing time per command, in ms (uniform from 0).")
    var maxLatencyMs = 2

    @Option(name: .long, help: "Payments in flight at once.")
    var concurrency = 100

    @Option(name: .long, help: "How long a command may go unanswered before it is sent again, in ms.")
    var attemptTimeoutMs = 2_000

    @Option(name: .long, help: "Give up waiting for the sagas after this many seconds.")
    var timeout = 300

    @Option(name: .long, help: "Schema registry of the broker (with --bootstrap).")
    var registryURL = "http://127.0.0.1:8081"

    @Option(name: .long, help: ArgumentHelp("The broker's audit public key (with --bootstrap).", valueName: "file"))
    var publicKey = "./data/audit-signing.key.pub"

    @Option(name: .long, help: ArgumentHelp("Directory with compliance-event.avsc and risk-assessment.avsc (default: ./schemas, or the repository's).", valueName: "dir"))
    var schemas: String?

    @Flag(name: .long, help: "Print the summary as one JSON object too (last line).")
    var json = false

    @Flag(name: .long, help: "Log the orchestrator's and participants' progress to stderr.")
    var verbose = false

    func run() async throws {
        do {
            try await demo()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("eventctl: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func demo() async throws {
        let schemasDirectory = findSchemasDirectory()
        let embedded = bootstrap == nil ? try DemoEmbeddedBroker.start(schemasDirectory: schemasDirectory) : nil
        defer { embedded?.stop() }
        let servers = (embedded?.bootstrap ?? bootstrap ?? "").split(separator: ",").map(String.init)
        var logger = Logger(label: "eventctl.demo")
        logger.logLevel = verbose ? .info : .error
        let runID = self.runID ?? UUID().uuidString.prefix(8).lowercased()

        let registry = embedded?.registryURL ?? registryURL
        let complianceSchemaID = try await DemoSchemaRegistry.schemaID(
            registryURL: registry, subject: "\(PaymentAuditRecorder.complianceTopic)-value",
            schemaFile: schemasDirectory?.appendingPathComponent("compliance-event.avsc"))
        let riskSchemaID = try await DemoSchemaRegistry.schemaID(
            registryURL: registry, subject: "\(PaymentAuditRecorder.riskTopic)-value",
            schemaFile: schemasDirectory?.appendingPathComponent("risk-assessment.avsc"))

        let recorder = try PaymentAuditRecorder(bootstrapServers: servers, complianceSchemaID: complianceSchemaID, riskSchemaID: riskSchemaID, logger: logger)
        let payments = try SagaParticipant(configuration: participant(servers, PaymentSaga.paymentsTopic, DemoPaymentChecks.paymentsLog), logic: SimulatedPaymentService(), logger: logger)
        let ledger = try SagaParticipant(configuration: participant(servers, PaymentSaga.ledgerTopic, DemoPaymentChecks.ledgerLog), logic: SimulatedLedger(), logger: logger)
        let definition = PaymentSaga.definition(attemptTimeout: .milliseconds(attemptTimeoutMs))
        let orchestrator = try SagaOrchestrator(
            configuration: SagaOrchestratorConfiguration(bootstrapServers: servers), definitions: [definition], observer: recorder, logger: logger)
        try await payments.start()
        try await ledger.start()
        try await orchestrator.start()

        let requests = DemoPaymentGenerator(runID: runID).requests(count: count)
        let ids = Set(requests.map(\.paymentID))
        let deadline = Date().addingTimeInterval(Double(timeout))
        var begun = 0
        for request in requests {
            while await orchestrator.inFlightCount >= concurrency {
                guard Date() < deadline else { throw DemoError("timed out after \(timeout) s starting payments") }
                try await Task.sleep(for: .milliseconds(5))
            }
            if try await orchestrator.begin(sagaID: request.paymentID, definition: PaymentSaga.name, input: request.sagaInput) { begun += 1 }
        }
        var states: [String: SagaState] = [:]
        while true {
            states = await orchestrator.states.filter { ids.contains($0.key) }
            let inFlight = states.values.filter { $0.status.isInFlight }.count
            if inFlight == 0 { break }
            guard Date() < deadline else { throw DemoError("timed out after \(timeout) s with \(inFlight) payments in flight") }
            try await Task.sleep(for: .milliseconds(50))
        }
        let deliveryFailures = await orchestrator.deliveryFailures
        let repeats = await payments.repeatsAnswered + ledger.repeatsAnswered
        let simulated = await payments.simulatedFailures + ledger.simulatedFailures
        let participantFailures = [await payments.failure, await ledger.failure].compactMap { $0 }
        await orchestrator.shutdown()
        await payments.shutdown()
        await ledger.shutdown()
        await recorder.shutdown()

        var summary = DemoPaymentSummary(runID: runID, states: Array(states.values), begunNow: begun)
        summary.repeatsAnswered = repeats
        summary.simulatedFailures = simulated
        summary.printLines()

        let checks = try await DemoPaymentChecks.run(bootstrapServers: servers, requests: requests, logger: logger)
        summary.checks = checks
        var violations = checks.violations
        violations += participantFailures
        if deliveryFailures > 0 { violations.append("\(deliveryFailures) saga records were not delivered") }
        if recorder.deliveryFailures > 0 { violations.append("\(recorder.deliveryFailures) audit records were not delivered") }
        AuditConsole.out("commands applied: \(checks.paymentsApplied) by payments, \(checks.ledgerApplied) by the ledger; none twice: \(!violations.contains { $0.contains("applied") })")
        AuditConsole.out("money moved: \(checks.moved.map { Money(minorUnits: $1, currency: $0).description }.sorted().joined(separator: ", ")) in \(checks.postings) ledger postings; balances sum to zero")
        for violation in violations.prefix(20) { FileHandle.standardError.write(Data("eventctl: invariant violated: \(violation)\n".utf8)) }

        // The checkpoint timer (1 s by default) covers the last audit records.
        try await Task.sleep(for: .milliseconds(1_500))
        let keyPath = embedded?.publicKeyPath ?? publicKey
        guard FileManager.default.fileExists(atPath: keyPath) else {
            throw DemoError("no audit public key at \(keyPath) (pass --public-key)")
        }
        var intact = true
        for topic in [PaymentAuditRecorder.complianceTopic, PaymentAuditRecorder.riskTopic] {
            intact = try await DemoAuditVerifier.verify(topic: topic, bootstrapServers: servers, publicKeyPath: keyPath) && intact
        }
        AuditConsole.out("audit chain: \(intact ? "verified" : "MISMATCH")")
        summary.auditVerified = intact
        summary.violations = violations
        if json { AuditConsole.out(summary.json()) }
        if !intact { throw ExitCode(AuditConsole.tamperedExitCode) }
        if !violations.isEmpty { throw ExitCode.failure }
    }

    private func participant(_ servers: [String], _ commands: String, _ log: String) -> SagaParticipantConfiguration {
        var configuration = SagaParticipantConfiguration(bootstrapServers: servers, commandTopic: commands, logTopic: log)
        configuration.failureRate = failureRate
        configuration.dropReplyRate = dropReplyRate
        configuration.latency = .zero ... .milliseconds(maxLatencyMs)
        return configuration
    }

    /// `--schemas`, else `./schemas`, else the repository's next to the build directory.
    private func findSchemasDirectory() -> URL? {
        let file = "compliance-event.avsc"
        var candidates: [URL] = []
        if let schemas { candidates.append(URL(fileURLWithPath: schemas)) }
        candidates.append(URL(fileURLWithPath: "schemas"))
        var directory = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            directory = directory.deletingLastPathComponent()
            candidates.append(directory.appendingPathComponent("schemas"))
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent(file).path) }?.standardizedFileURL
    }
}
