import Foundation
import Kafka
import Logging

/// Writes the payment saga's audit trail: every step outcome and decision to
/// `compliance-events`, every risk decision to `risk-assessments`, both Avro in Confluent
/// framing (`schemas/compliance-event.avsc`, `schemas/risk-assessment.avsc`).
///
/// Event ids are derived from the saga id, its version and the event, so a transition
/// recorded twice around a crash carries the same id both times.
public final class PaymentAuditRecorder: SagaObserver {
    public static let complianceTopic = "compliance-events"
    public static let riskTopic = "risk-assessments"

    private let producer: KafkaProducer
    private let complianceSchemaID: Int32
    private let riskSchemaID: Int32
    private let logger: Logger
    private let reports: Task<Void, Never>
    private let failures = LockedCounter()

    /// - Parameters:
    ///   - complianceSchemaID: Registry id of `compliance-events-value`.
    ///   - riskSchemaID: Registry id of `risk-assessments-value`.
    public init(bootstrapServers: [String], complianceSchemaID: Int32, riskSchemaID: Int32, logger: Logger) throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.clientID = "payment-saga-audit"
        producer = try KafkaProducer(configuration: configuration, logger: logger)
        self.complianceSchemaID = complianceSchemaID
        self.riskSchemaID = riskSchemaID
        self.logger = logger
        let failures = self.failures
        let producer = self.producer
        reports = Task {
            for await batch in producer.deliveryReports {
                for report in batch {
                    if case .failure(let error) = report.result {
                        failures.add(1)
                        logger.error("audit record not delivered", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }

    /// Audit records the broker refused or that timed out (should stay 0).
    public var deliveryFailures: Int { failures.value }

    /// Delivers what is queued.
    public func shutdown() async {
        await producer.shutdown()
        reports.cancel()
    }

    public func sagaChanged(_ state: SagaState, events: [SagaEvent], definition: SagaDefinition) {
        guard let payment = try? PaymentRequest(payload: state.input) else { return }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        for (index, event) in events.enumerated() {
            let eventID = StableUUID.make("\(state.id)/\(state.version)/\(index)")
            if case .commandSent = event { continue }
            if case .attemptFailed = event { continue }
            if let entry = ComplianceEntry(event, state: state) {
                var avro = AvroBinaryWriter(schemaID: complianceSchemaID)
                avro.string(eventID)
                avro.symbol(entry.kind)
                avro.symbol(entry.outcome)
                avro.symbol(1)  // subject_type PAYMENT
                avro.string(payment.paymentID)
                avro.long(1)  // payment_id: the uuid branch
                avro.string(payment.paymentID)
                avro.optionalLong(payment.amount.minorUnits)
                avro.optionalString(payment.amount.currency)
                avro.strings(entry.rules)
                avro.optionalString(entry.reviewer)
                avro.optionalString(entry.notes)
                avro.long(now)
                avro.optionalString(state.id)
                avro.optionalString("saga-orchestrator")
                produce(Self.complianceTopic, key: payment.paymentID, value: avro.bytes)
            }
            if isRiskDecision(event), let decision = state.context[SimulatedPaymentService.RiskKey.decision] {
                var avro = AvroBinaryWriter(schemaID: riskSchemaID)
                avro.string(state.context[SimulatedPaymentService.RiskKey.assessmentID] ?? StableUUID.make("\(state.id)/risk"))
                avro.string(payment.paymentID)
                avro.string(payment.payerID)
                avro.long(payment.amount.minorUnits)
                avro.string(payment.amount.currency)
                avro.long(Int64(state.context[SimulatedPaymentService.RiskKey.score] ?? "") ?? 0)
                avro.symbol(["APPROVE": 1, "REVIEW": 2, "DECLINE": 3][decision] ?? 0)
                avro.strings((state.context[SimulatedPaymentService.RiskKey.reasons] ?? "").split(separator: ",").map(String.init))
                avro.string(PaymentRiskPolicy().modelName)
                avro.string(PaymentRiskPolicy().modelVersion)
                avro.long(now)
                produce(Self.riskTopic, key: payment.paymentID, value: avro.bytes)
            }
        }
    }

    private func isRiskDecision(_ event: SagaEvent) -> Bool {
        switch event {
        case .stepSucceeded(step: PaymentSaga.Step.assessRisk), .reviewRequested(step: PaymentSaga.Step.assessRisk, reason: _),
             .stepFailed(step: PaymentSaga.Step.assessRisk, reason: _):
            true
        default:
            false
        }
    }

    private func produce(_ topic: String, key: String, value: [UInt8]) {
        do {
            try producer.enqueue(topic: topic, key: Array(key.utf8), value: value)
        } catch {
            failures.add(1)
            logger.error("audit record not queued", metadata: ["topic": "\(topic)", "error": "\(error)"])
        }
    }
}

/// How one saga event reads in `compliance-events` (enum indexes of the schema's symbols).
private struct ComplianceEntry {
    var kind: Int
    var outcome: Int
    var rules: [String]
    var reviewer: String?
    var notes: String

    // ComplianceEventKind: TRANSACTION_MONITORING 4, MANUAL_REVIEW 6.
    // ComplianceOutcome: PASSED 1, FLAGGED 2, BLOCKED 3, ESCALATED 4, CLEARED 5.
    init?(_ event: SagaEvent, state: SagaState) {
        let saga = "saga:\(state.definitionName)"
        switch event {
        case .started:
            self.init(kind: 4, outcome: 1, rules: [saga], notes: "payment saga started")
        case .stepSucceeded(let step):
            self.init(kind: 4, outcome: 1, rules: [saga, "step:\(step)"], notes: "step \(step) succeeded")
        case .stepFailed(let step, let reason):
            self.init(kind: 4, outcome: 3, rules: [saga, "step:\(step)"], notes: "step \(step) failed: \(reason)")
        case .reviewRequested(let step, let reason):
            self.init(kind: 6, outcome: 4, rules: [saga, "step:\(step)"], notes: "manual review requested: \(reason)")
        case .reviewResolved(let approved, let reviewer):
            self.init(kind: 6, outcome: approved ? 5 : 3, rules: [saga], reviewer: reviewer, notes: approved ? "approved in review" : "rejected in review")
        case .compensationStarted(let reason):
            self.init(kind: 4, outcome: 2, rules: [saga], notes: "compensating: \(reason)")
        case .compensationSucceeded(let step):
            self.init(kind: 4, outcome: 5, rules: [saga, "step:\(step)"], notes: "step \(step) compensated")
        case .completed:
            self.init(kind: 4, outcome: 1, rules: [saga], notes: "payment completed")
        case .compensated:
            self.init(kind: 4, outcome: 3, rules: [saga], notes: "payment compensated: \(state.failureReason ?? "")")
        case .failed(let reason):
            self.init(kind: 4, outcome: 4, rules: [saga], notes: "saga stuck, operator needed: \(reason)")
        case .commandSent, .attemptFailed:
            return nil
        }
    }

    init(kind: Int, outcome: Int, rules: [String], reviewer: String? = nil, notes: String) {
        self.kind = kind
        self.outcome = outcome
        self.rules = rules
        self.reviewer = reviewer
        self.notes = notes
    }
}
