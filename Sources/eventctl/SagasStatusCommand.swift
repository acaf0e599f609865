import ArgumentParser
import Foundation
import Logging
import Sagas

/// `eventctl sagas status --bootstrap HOST:PORT` — sagas by state, from `saga-state`.
struct SagasStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Count sagas by state (from the saga-state topic) and list those that need attention.")

    @Option(name: .long, help: ArgumentHelp("Brokers to bootstrap from.", valueName: "host:port[,host:port…]"))
    var bootstrap: String

    @Option(name: .long, help: "The saga-state topic.")
    var topic = "saga-state"

    @Option(name: .long, help: "List at most this many sagas that are in flight, awaiting review or failed.")
    var limit = 20

    func run() async throws {
        var logger = Logger(label: "eventctl.sagas")
        logger.logLevel = .error
        let sagas: [SagaState]
        do {
            sagas = try await SagaLogReader.sagas(bootstrapServers: bootstrap.split(separator: ",").map(String.init), topic: topic, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("eventctl: cannot read \(topic): \(error)\n".utf8))
            throw ExitCode.failure
        }
        let byStatus = Dictionary(grouping: sagas, by: \.status)
        print("sagas: \(sagas.count)")
        for status in SagaStatus.allCases {
            print("  \(status.rawValue): \(byStatus[status]?.count ?? 0)")
        }
        let attention = sagas.filter { !($0.status == .completed || $0.status == .compensated) }
            .sorted { $0.updatedAt < $1.updatedAt }
        for saga in attention.prefix(limit) {
            var line = "\(saga.status.rawValue) \(saga.id) (\(saga.definitionName), version \(saga.version))"
            if let pending = saga.pending { line += " step \(pending.step) \(pending.kind.rawValue) attempt \(pending.attempt)" }
            if let reason = saga.reviewReason, saga.status == .awaitingReview { line += ": \(reason)" }
            if let reason = saga.failureReason { line += ": \(reason)" }
            print(line)
        }
        if attention.count > limit { print("… and \(attention.count - limit) more") }
    }
}
