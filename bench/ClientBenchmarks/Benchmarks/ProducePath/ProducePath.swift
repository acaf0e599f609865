import Benchmark
import Foundation
import Kafka
import Logging

// The produce path of the `Kafka` library as a payment service uses it: acks=all, idempotent,
// 100-byte values. By default the broker is librdkafka's in-process mock cluster, so the figures
// are the client's own cost; set KAFKA_BENCH_BOOTSTRAP=host:port to measure against a real
// broker (the topic `bench-client`, 1 partition, must exist there).

private let value = [UInt8](repeating: 0x42, count: 100)
private let topic = "bench-client"

private func makeProducer(linger: Duration?) throws -> KafkaProducer {
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    var configuration: KafkaProducerConfiguration
    if let bootstrap = ProcessInfo.processInfo.environment["KAFKA_BENCH_BOOTSTRAP"] {
        configuration = KafkaProducerConfiguration(bootstrapServers: [bootstrap])
    } else {
        configuration = KafkaProducerConfiguration(bootstrapServers: [])
        // The mock cluster lives inside this client and creates topics on first use.
        configuration.additionalProperties["test.mock.num.brokers"] = "1"
    }
    if let linger { configuration.linger = linger }
    return try KafkaProducer(configuration: configuration, logger: logger)
}

// Benchmark closures run once per iteration; the producer (and its connection) lives across them.
nonisolated(unsafe) private var producer: KafkaProducer!
nonisolated(unsafe) private var reports: KafkaDeliveryReports.AsyncIterator!

private func setUp() async throws {
    try await setUp(linger: nil)
}

private func setUpWithoutLinger() async throws {
    try await setUp(linger: .zero)
}

private func setUp(linger: Duration?) async throws {
    producer = try makeProducer(linger: linger)
    for _ in 0..<50 { _ = try await producer.send(topic: topic, partition: 0, value: value) }  // connect, warm up
    reports = producer.deliveryReports.makeAsyncIterator()
}

private func tearDown() async throws {
    await producer.shutdown()
    producer = nil
    reports = nil
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput, .cpuTotal],
        maxDuration: .seconds(5))

    // One `send` awaited at a time: the time from handing a message over to its delivery report.
    // With the library's default linger (5 ms) that is mostly the linger; without it, the client's
    // own path (plus the round trip to the broker).
    Benchmark("send → delivery report (awaited, one at a time, default linger 5 ms)",
              configuration: .init(setup: setUp, teardown: tearDown)) { _ in
        blackHole(try await producer.send(topic: topic, partition: 0, value: value))
    }

    Benchmark("send → delivery report (awaited, one at a time, linger 0)",
              configuration: .init(setup: setUpWithoutLinger, teardown: tearDown)) { _ in
        blackHole(try await producer.send(topic: topic, partition: 0, value: value))
    }

    // The pipelined path: `enqueue` 1,000 messages, then read their reports. Figures are per
    // message (scaling factor kilo), so mallocCountTotal is allocations per message produced,
    // report delivery included.
    Benchmark("enqueue + delivery reports (pipelined, per message)",
              configuration: .init(scalingFactor: .kilo, setup: setUp, teardown: tearDown)) { benchmark in
        for _ in benchmark.scaledIterations {
            try producer.enqueue(topic: topic, partition: 0, value: value)
        }
        var received = 0
        while received < benchmark.scaledIterations.count, let batch = await reports.next() {
            received += batch.count
        }
    }
}
