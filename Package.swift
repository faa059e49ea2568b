// swift-tools-version:6.2
import PackageDescription

/// Settings every target shares: Swift 6 language mode plus the upcoming features the
/// server ecosystem has adopted.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let nio = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")

/// A C library found through pkg-config, wrapped as a `C<Name>` module.
func cLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, path: "Shared/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

/// A module of shared code under `Shared/<name>`.
func shared(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .target(name: name, dependencies: dependencies, path: "Shared/\(name)", swiftSettings: swiftSettings)
}

/// One service: a library with its logic under `Services/<folder>/Service` (so tests exercise the
/// code the binary runs) and a thin executable under `Services/<folder>/Main`.
func service(
    _ executable: String, folder: String, library: String, _ dependencies: [Target.Dependency], resources: [Resource]? = nil
) -> [Target] {
    [
        .target(
            name: library, dependencies: dependencies + [nio], path: "Services/\(folder)/Service", resources: resources, swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: executable,
            dependencies: [.byName(name: library), "Runtime", "Messaging"],
            path: "Services/\(folder)/Main",
            swiftSettings: swiftSettings
        ),
    ]
}

func tests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: dependencies + ["JobsmithTesting"], path: "Tests/\(name)", swiftSettings: swiftSettings)
}

/// The gateway's OpenAPI document, and the web UI's page templates, scripts and styles.
let webPages = ["jobs", "job", "queue", "ingestion", "pipeline", "master-cv"]
let webTemplates: [Resource] = (["layout"] + webPages).map { .embedInCode("Web/Templates/\($0).mustache") }
let webAssetNames: [String] = ["app.css", "app.js", "theme.js"] + webPages.map { "\($0).js" } + webPages.map { "\($0).css" }
let gatewayResources: [Resource] = [.embedInCode("Resources/openapi.json")] + webTemplates + webAssetNames.map { .embedInCode("Web/Assets/\($0)") }

let package = Package(
    name: "jobsmith",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ingestion", targets: ["ingestion"]),
        .executable(name: "extraction", targets: ["extraction"]),
        .executable(name: "research", targets: ["research"]),
        .executable(name: "cv-generator", targets: ["cv-generator"]),
        .executable(name: "gateway", targets: ["gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // No default traits: keeps swift-configuration out of the build.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // C bindings
        cLibrary("CHiredis", pkgConfig: "hiredis", apt: "libhiredis-dev"),
        cLibrary("CLibPQ", pkgConfig: "libpq", apt: "libpq-dev"),
        cLibrary("CCurl", pkgConfig: "libcurl", apt: "libcurl4-openssl-dev"),
        .target(name: "CCurlShims", dependencies: ["CCurl"], path: "Shared/CCurlShims"),

        // Clients for the C libraries, and the pool they share
        shared("ConnectionPool", [nio, nioCore]),
        shared("Redis", ["CHiredis", "ConnectionPool", nio, logging]),
        shared("Postgres", ["CLibPQ", "ConnectionPool", nio, logging]),
        shared("HTTPClient", ["CCurl", "CCurlShims", nio]),
        shared("LanguageModels", ["HTTPClient", nio, logging]),

        // Messaging, the domain, storage and the runtime every service is built on
        shared("Messaging", ["Redis", nio, logging, metrics, lifecycle]),
        shared("Domain", []),
        shared("TextAnalysis", []),
        // The skill taxonomy is data compiled into the binary: no resource bundle to ship beside it.
        .target(
            name: "JobAnalysis",
            dependencies: ["TextAnalysis", "Domain"],
            path: "Shared/JobAnalysis",
            resources: [.embedInCode("Resources/skills.json")],
            swiftSettings: swiftSettings
        ),
        shared("Store", ["Postgres", "Redis", "Domain", logging]),
        shared("Runtime", [
            "Redis", "Postgres", "Messaging", "Store", "Domain", nio, nioCore, logging, metrics, lifecycle, hummingbird,
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        shared("JobsmithTesting", []),
        shared("IntegrationTesting", ["JobsmithTesting", "Postgres", "Redis", "Runtime", "Store", "Messaging", nio, nioCore, hummingbird, lifecycle, logging]),
    ]
        + service("ingestion", folder: "Ingestion", library: "IngestionService", ["Runtime", "Messaging", "Store", "Domain", "TextAnalysis", "HTTPClient", "Postgres", logging, lifecycle])
        + service("extraction", folder: "Extraction", library: "ExtractionService", ["Runtime", "Messaging", "Store", "Domain", "TextAnalysis", "JobAnalysis", "LanguageModels", "HTTPClient", logging])
        + service("research", folder: "Research", library: "ResearchService", ["Runtime", "Messaging", "Store", "Domain", "TextAnalysis", "LanguageModels", "HTTPClient", "Postgres", logging])
        + service("cv-generator", folder: "CVGenerator", library: "CVGeneratorService", ["Runtime", "Messaging", "Redis", "Store", "Domain", "TextAnalysis", "JobAnalysis", "LanguageModels", "HTTPClient", logging])
        + service("gateway", folder: "Gateway", library: "GatewayService", ["Runtime", "Messaging", "Store", "Domain", "TextAnalysis", "Redis", "Postgres", hummingbird, logging, lifecycle,
                     .product(name: "Mustache", package: "swift-mustache")],
                   // The OpenAPI document and the web UI are served from the binary itself.
                   resources: gatewayResources)
        + [
            tests("ConnectionPoolTests", ["ConnectionPool"]),
            tests("RedisTests", ["Redis", "IntegrationTesting", nio]),
            tests("PostgresTests", ["Postgres", "Store", "Domain", "IntegrationTesting", nio]),
            tests("HTTPClientTests", ["HTTPClient", "IntegrationTesting", hummingbird, nio, nioCore, logging, lifecycle]),
            tests("MessagingTests", ["Messaging", "Redis", "IntegrationTesting", nio, logging, lifecycle]),
            tests("TextAnalysisTests", ["TextAnalysis"]),
            tests("LanguageModelsTests", ["LanguageModels", "HTTPClient", "IntegrationTesting", hummingbird, nio, nioCore, logging, lifecycle]),
            tests("JobAnalysisTests", ["JobAnalysis", "TextAnalysis", "Domain", "IngestionService"]),
            tests("ServiceTests", ["IngestionService", "ExtractionService", "JobAnalysis", "LanguageModels", "Runtime", "ResearchService", "CVGeneratorService", "Domain", "Store", "TextAnalysis", "HTTPClient", "IntegrationTesting", "Messaging", "Postgres", "Redis", hummingbird, nio, nioCore, logging, lifecycle]),
            // The fixture pages are read by path, not compiled.
            .testTarget(
                name: "ResearchProviderTests",
                dependencies: ["ResearchService", "HTTPClient", "LanguageModels", "TextAnalysis", "IntegrationTesting", "JobsmithTesting", hummingbird, nio, nioCore, logging, lifecycle],
                path: "Tests/ResearchProviderTests",
                exclude: ["Fixtures"],
                swiftSettings: swiftSettings
            ),
            .testTarget(name: "DomainTests", dependencies: ["Domain"], path: "Tests/DomainTests", exclude: ["Fixtures"], swiftSettings: swiftSettings),
            tests("DocumentTests", ["CVGeneratorService", "Domain", nio]),
            tests("LetterTests", ["CVGeneratorService", "Domain"]),
            tests("CVPolishTests", ["CVGeneratorService", "Domain", "LanguageModels", "HTTPClient", "IntegrationTesting", hummingbird, nio, nioCore, logging, lifecycle]),
            tests("GatewayTests", [
                "GatewayService", "IngestionService", "Runtime", "Messaging", "Store", "Domain", "TextAnalysis", "Postgres", "Redis", "IntegrationTesting", hummingbird,
                .product(name: "HummingbirdTesting", package: "hummingbird"), nio, logging,
            ]),
            tests("EndToEndTests", ["HTTPClient", "Postgres", "Redis", "Store", "Messaging", "IngestionService", "IntegrationTesting", hummingbird, nio]),
            tests("DeploymentTests", []),
        ]
)
