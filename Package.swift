// swift-tools-version: 6.1
import PackageDescription

// Module layout (one module per concern):
//   CAgendaICU     C++ bridge to the system ICU. Its public header uses only plain C types, so no
//                  Swift module ever sees ICU headers (Foundation carries its own ICU; mixing the two
//                  fails with "'UErrorCode' has different definitions").
//   CAgendaDigest  SHA-256 blocks in C, with the CPU's SHA instructions when present (manifest hashes).
//   CAgendaScan    The text paths' byte scanning in C, sixteen bytes at a time (SSE2).
//   AgendaTime     Swift API over the bridge: time zones from the newest tzdata, local↔UTC, VTIMEZONE,
//                  localized dates, BCP 47, NFC, collation, slugs, grapheme boundaries.
//   AgendaRecords  The event record model, its readers (JSON, JSON Lines, YAML, CSV) and validation.
//   AgendaICS      The iCalendar (RFC 5545/7986) writer.
//   AgendaFeeds    RSS 2.0, Atom and JSON Feed writers.
//   Agenda         The batch exporter that ties readers and writers together (library product).
//   agenda         The command-line tool, a thin layer over Agenda.
let package = Package(
    name: "Agenda",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Agenda", targets: ["Agenda"]),
        .executable(name: "agenda", targets: ["agenda"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(
            name: "CAgendaICU",
            linkerSettings: [
                .linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata"),
            ]
        ),
        .target(name: "CAgendaDigest"),
        .target(name: "CAgendaScan"),
        .target(name: "AgendaTime", dependencies: ["CAgendaICU", "CAgendaScan"]),
        .target(
            name: "AgendaRecords",
            dependencies: ["AgendaTime", "CAgendaScan", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "AgendaICS", dependencies: ["AgendaTime", "AgendaRecords", "CAgendaScan"]),
        .target(name: "AgendaFeeds", dependencies: ["AgendaTime", "AgendaRecords", "AgendaICS", "CAgendaScan"]),
        .target(
            name: "Agenda",
            dependencies: [
                "AgendaTime", "AgendaRecords", "AgendaICS", "AgendaFeeds", "CAgendaDigest",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "agenda",
            dependencies: ["Agenda", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // libFuzzer harness (Tests/Fuzz/run.sh builds it with -sanitize=fuzzer); a plain build
        // replays inputs, which the tests use for the regression corpus.
        .executableTarget(name: "agenda-fuzz", dependencies: ["Agenda"]),
        .testTarget(
            name: "AgendaTests",
            dependencies: [
                "Agenda", "AgendaTime", "AgendaRecords", "AgendaICS", "AgendaFeeds", "CAgendaDigest", "CAgendaICU", "CAgendaScan",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Golden", "Hostile"]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
