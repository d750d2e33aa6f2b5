// swift-tools-version: 6.1
import Foundation
import PackageDescription

let package = Package(
    name: "casetrack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "casetrack", targets: ["casetrack"]),
        .library(name: "CaseTrackCore", targets: ["CaseTrackCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // glibc's wcwidth sits behind _XOPEN_SOURCE, which Swift's Glibc module does not define.
        .target(name: "CDisplayWidth"),
        // Swift 6 cannot name C's stdout; the CLI flushes and checks it through these.
        .target(name: "CStandardOutput"),
        // sqlite3_config takes variable arguments, which Swift cannot call.
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(
            name: "CaseTrackCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                "CDisplayWidth",
                "CSQLiteSetup",
            ],
            resources: [.embedInCode("Schema/schema.sql"), .embedInCode("Schema/schema-postgres.sql")]
        ),
        .executableTarget(
            name: "casetrack",
            dependencies: [
                "CaseTrackCore",
                "CStandardOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CaseTrackCoreTests", dependencies: ["CaseTrackCore"], exclude: ["Fixtures"]),
        // Runs the built casetrack binary; fixtures are read from the source tree.
        .testTarget(
            name: "CaseTrackCLITests",
            dependencies: ["casetrack", "CaseTrackCore"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// `make fuzz` builds a libFuzzer target over the parsers of untrusted text. It needs
// coverage instrumentation in every module, so it is only part of the package then.
if ProcessInfo.processInfo.environment["CASETRACK_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "CaseTrackFuzz",
            dependencies: ["CaseTrackCore"],
            path: "Fuzz/CaseTrackFuzz",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer", "-use-ld=lld"])]
        ))
    package.products.append(.executable(name: "casetrack-fuzz", targets: ["CaseTrackFuzz"]))
}

// `make bench` compares casetrack's start-up with an empty binary linking the same libraries.
if ProcessInfo.processInfo.environment["CASETRACK_BENCH"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "CaseTrackEmpty",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "bench/Empty"
        ))
    package.products.append(.executable(name: "casetrack-empty", targets: ["CaseTrackEmpty"]))
}
