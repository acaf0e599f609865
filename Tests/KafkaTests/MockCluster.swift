import Foundation
@testable import Kafka

/// librdkafka's mock cluster API (rdkafka_mock.h). The `CRdKafka` module map includes only
/// rdkafka.h, so the few functions the tests need are looked up at run time; they are
/// exported by the librdkafka the test binary links anyway. Tests only: the library itself
/// never touches the mock.
struct MockCluster: @unchecked Sendable {
    private typealias HandleMockCluster = @convention(c) (OpaquePointer?) -> OpaquePointer?
    private typealias Bootstraps = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    private typealias TopicCreate = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, Int32) -> Int32

    private let cluster: OpaquePointer
    private let topicCreate: TopicCreate
    let bootstrapServers: [String]

    init(owner admin: KafkaAdmin) throws {
        let handleMockCluster: HandleMockCluster = try Self.symbol("rd_kafka_handle_mock_cluster")
        let bootstraps: Bootstraps = try Self.symbol("rd_kafka_mock_cluster_bootstraps")
        topicCreate = try Self.symbol("rd_kafka_mock_topic_create")
        guard let cluster = try admin.client.withHandle({ handleMockCluster($0) }) else {
            throw KafkaError(code: -191, message: "the client has no mock cluster")
        }
        self.cluster = cluster
        bootstrapServers = bootstraps(cluster).map { String(cString: $0).split(separator: ",").map(String.init) } ?? []
    }

    func createTopic(_ name: String, partitions: Int32) throws {
        let err = topicCreate(cluster, name, partitions, 3)
        if err != 0 { throw KafkaError(code: err) }
    }

    private static func symbol<Function>(_ name: String) throws -> Function {
        // RTLD_DEFAULT: search the symbols already loaded into the process.
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            throw KafkaError(code: -191, message: "\(name) not found")
        }
        return unsafeBitCast(address, to: Function.self)
    }
}
