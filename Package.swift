// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ComplianceLog",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "eventd", targets: ["eventd"]),
        .executable(name: "eventctl", targets: ["eventctl"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "SchemaRegistry", targets: ["SchemaRegistry"]),
        .library(name: "AuditChain", targets: ["AuditChain"]),
        .library(name: "KafkaProtocol", targets: ["KafkaProtocol"]),
        .library(name: "TopicPolicy", targets: ["TopicPolicy"]),
        .library(name: "LogStore", targets: ["LogStore"]),
        .library(name: "Broker", targets: ["Broker"]),
        .library(name: "EventSourcing", targets: ["EventSourcing"]),
        .library(name: "Sagas", targets: ["Sagas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.4.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.27.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .systemLibrary(
            name: "CCompression",
            providers: [.apt(["liblz4-dev", "libsnappy-dev", "libzstd-dev", "zlib1g-dev"])]
        ),
        // CRC-32C with the CPU's instructions (RecordBatch checksums on every produce and recovery).
        // -O2 in debug builds too, like CSHA256: the tests' debug eventd checksums every batch.
        .target(name: "CCRC32C", cSettings: [.unsafeFlags(["-O2"])]),
        // SHA-256 of two messages at once on the CPU's SHA extensions (audit leaf hashing).
        // Optimized in debug builds too: at -O0 its intrinsics run ten times slower than
        // OpenSSL, and the tests and conformance suites run a debug eventd with audit on.
        .target(name: "CSHA256", cSettings: [.unsafeFlags(["-O2"])]),
        // OpenSSL's SHA-256 for audit leaf hashing: inline state, no allocation per hash.
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "KafkaProtocol",
            dependencies: [
                "CCompression",
                "CCRC32C",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "LogStore",
            dependencies: [
                "KafkaProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TopicPolicy",
            dependencies: [
                "SchemaRegistry",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "AccessControl",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Broker",
            dependencies: [
                "AccessControl",
                "KafkaProtocol",
                "LogStore",
                "TopicPolicy",
                "AuditChain",
                "SchemaRegistry",
                "SchemaRegistryServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SchemaRegistry",
            dependencies: []
        ),
        .target(
            name: "SchemaRegistryServer",
            dependencies: [
                "SchemaRegistry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "AuditChain",
            dependencies: [
                "KafkaProtocol",
                "CLibCrypto",
                "CSHA256",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "EventSourcing",
            dependencies: [
                "Kafka",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Sagas",
            dependencies: [
                "EventSourcing",
                "Kafka",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "eventctl",
            dependencies: [
                "AccessControl",
                "TopicPolicy",
                "SchemaRegistry",
                "AuditChain",
                "Kafka",
                "LogStore",
                "KafkaProtocol",
                "Sagas",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "eventd",
            dependencies: [
                "Broker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "KafkaProtocolTests",
            dependencies: [
                "KafkaProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LogStoreTests",
            dependencies: [
                "LogStore", "KafkaProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TopicPolicyTests",
            dependencies: ["TopicPolicy"]
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: ["Kafka", "Broker", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "SchemaRegistryTests",
            dependencies: ["SchemaRegistry"]
        ),
        .testTarget(
            name: "SchemaRegistryServerTests",
            dependencies: [
                "SchemaRegistryServer", "SchemaRegistry",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "AuditChainTests",
            dependencies: ["AuditChain", "KafkaProtocol", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "EventSourcingTests",
            dependencies: ["EventSourcing", "Kafka", "Broker", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "SagasTests",
            dependencies: ["Sagas"]
        ),
        .testTarget(
            name: "AccessControlTests",
            dependencies: ["AccessControl"]
        ),
        .testTarget(
            name: "BrokerTests",
            dependencies: [
                "Broker", "KafkaProtocol", "LogStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
    ]
)
