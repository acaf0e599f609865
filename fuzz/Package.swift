// swift-tools-version:5.4
// Tools version 5.4 on purpose: from 5.5 on, SwiftPM links executables with
// `--defsym main=<Target>_main` (for testable executables), which breaks linking against
// libFuzzer's own main().
//
// libFuzzer targets for the decoders that read untrusted bytes. Kept out of the main
// package so `make test` never builds fuzzer-only code; build and run with `make fuzz`
// (see the README's "Fuzzing" section), which passes `-sanitize=fuzzer,address` and
// `-parse-as-library` to every module so the library code is instrumented too.
import PackageDescription

let package = Package(
    name: "ComplianceLogFuzz",
    dependencies: [
        .package(name: "ComplianceLog", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
    ],
    targets: [
        .executableTarget(
            name: "FrameFuzzer",
            dependencies: [
                .product(name: "KafkaProtocol", package: "ComplianceLog"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "RecordBatchFuzzer",
            dependencies: [
                .product(name: "KafkaProtocol", package: "ComplianceLog"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "AvroFuzzer",
            dependencies: [
                .product(name: "SchemaRegistry", package: "ComplianceLog"),
            ]
        ),
        .executableTarget(
            name: "TopicsYAMLFuzzer",
            dependencies: [
                .product(name: "TopicPolicy", package: "ComplianceLog"),
            ]
        ),
    ]
)
