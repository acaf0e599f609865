// swift-tools-version:6.1
// Client-side micro benchmarks of the `Kafka` library (ordo-one/benchmark). Its own package so
// that the main package, `make test` and CI never build the benchmark dependencies.
// Run: `cd bench/ClientBenchmarks && swift package benchmark` (README "Benchmarks").
import PackageDescription

let package = Package(
    name: "ClientBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.29.0", traits: ["MallocInterposer"]),
        .package(name: "ComplianceLog", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "ProducePath",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Kafka", package: "ComplianceLog"),
            ],
            path: "Benchmarks/ProducePath",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
