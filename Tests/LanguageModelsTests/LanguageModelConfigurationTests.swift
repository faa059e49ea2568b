import Foundation
import HTTPClient
import LanguageModels
import Testing

@Suite("LanguageModelConfiguration from the environment")
struct LanguageModelConfigurationTests {
    @Test func emptyEnvironmentMeansDeterministicOnly() throws {
        let configuration = try LanguageModelConfiguration(environment: [:])
        #expect(configuration.defaultProviders.isEmpty)
        #expect(configuration.providers(forStep: "extraction").isEmpty)
        #expect(configuration.anthropic.baseURL == "https://api.anthropic.com")
        #expect(configuration.anthropic.model == "claude-sonnet-4-6")
        #expect(configuration.anthropic.timeout == .seconds(60))
        #expect(configuration.anthropic.retryPolicy.maximumAttempts == 3)
        #expect(configuration.openAI.baseURL == "https://api.openai.com/v1")
        #expect(configuration.openAI.apiKey == nil)
        #expect(configuration.claudeCLI.executable == "claude")
        #expect(configuration.claudeCLI.model == nil)
        #expect(configuration.budgetLimitDollars == nil)
    }

    @Test func fullEnvironmentWithPerStepOverrides() throws {
        let configuration = try LanguageModelConfiguration(environment: [
            "JOBSMITH_LLM_PROVIDERS": " anthropic , openai ",
            "JOBSMITH_LLM_PROVIDERS_CV_GENERATOR": "openai",
            "JOBSMITH_LLM_PROVIDERS_RESEARCH": "none",
            "ANTHROPIC_API_KEY": "sk-ant-secret-1",
            "ANTHROPIC_BASE_URL": "http://127.0.0.1:9000",
            "ANTHROPIC_MODEL": "claude-haiku-4-5",
            "OPENAI_API_KEY": "sk-openai-secret-2",
            "OPENAI_BASE_URL": "https://openrouter.ai/api/v1",
            "OPENAI_MODEL": "openai/gpt-4o-mini",
            "OPENAI_TOKEN_LIMIT_FIELD": "max_completion_tokens",
            "CLAUDE_CLI_MODEL": "opus",
            "JOBSMITH_LLM_TIMEOUT_SECONDS": "12.5",
            "JOBSMITH_LLM_MAX_ATTEMPTS": "5",
            "JOBSMITH_LLM_BUDGET_USD": "2.50",
            "UNRELATED": "x",
        ])
        #expect(configuration.defaultProviders == [.anthropic, .openAI])
        #expect(configuration.providers(forStep: "extraction") == [.anthropic, .openAI])
        #expect(configuration.providers(forStep: "cv-generator") == [.openAI])
        #expect(configuration.providers(forStep: "CV_GENERATOR") == [.openAI])
        #expect(configuration.providers(forStep: "research") == [])
        #expect(configuration.anthropic.apiKey == "sk-ant-secret-1")
        #expect(configuration.anthropic.baseURL == "http://127.0.0.1:9000")
        #expect(configuration.anthropic.model == "claude-haiku-4-5")
        #expect(configuration.anthropic.timeout == .milliseconds(12_500))
        #expect(configuration.openAI.retryPolicy.maximumAttempts == 5)
        #expect(configuration.openAI.model == "openai/gpt-4o-mini")
        #expect(configuration.openAI.tokenLimitField == .maxCompletionTokens)
        #expect(configuration.claudeCLI.model == "opus")
        #expect(configuration.claudeCLI.timeout == .milliseconds(12_500))
        #expect(configuration.budgetLimitDollars == 2.5)

        let description = configuration.description
        #expect(description.contains("default: anthropic → openai → deterministic"))
        #expect(description.contains("cv_generator: openai → deterministic"))
        #expect(description.contains("research: deterministic"))
        #expect(description.contains("anthropic: claude-haiku-4-5 at http://127.0.0.1:9000 (key set)"))
        #expect(description.contains("budget $2.50"))
        #expect(!description.contains("sk-ant-secret-1"))
        #expect(!description.contains("sk-openai-secret-2"))
    }

    @Test func perStepOverrideAloneEnablesAStep() throws {
        let configuration = try LanguageModelConfiguration(environment: [
            "JOBSMITH_LLM_PROVIDERS_EXTRACTION": "anthropic",
            "ANTHROPIC_API_KEY": "k-1234",
        ])
        #expect(configuration.providers(forStep: "extraction") == [.anthropic])
        #expect(configuration.providers(forStep: "research") == [])
    }

    @Test func anthropicWithoutKeyIsAConfigurationError() {
        #expect {
            try LanguageModelConfiguration(environment: ["JOBSMITH_LLM_PROVIDERS": "anthropic"])
        } throws: { error in
            let error = error as? LanguageModelError
            return error?.kind == .invalidConfiguration
                && error?.description == "language-model configuration: anthropic is listed as a provider but ANTHROPIC_API_KEY is not set"
        }
    }

    @Test func perStepListIsValidatedToo() {
        #expect(throws: LanguageModelError.self) {
            try LanguageModelConfiguration(environment: ["JOBSMITH_LLM_PROVIDERS_EXTRACTION": "anthropic", "ANTHROPIC_API_KEY": ""])
        }
    }

    @Test func openAIWithoutKeyNeedsALocalBaseURL() throws {
        #expect(throws: LanguageModelError.self) {
            try LanguageModelConfiguration(environment: ["JOBSMITH_LLM_PROVIDERS": "openai"])
        }
        let local = try LanguageModelConfiguration(environment: [
            "JOBSMITH_LLM_PROVIDERS": "openai", "OPENAI_BASE_URL": "http://localhost:11434/v1", "OPENAI_MODEL": "llama3.2",
        ])
        #expect(local.openAI.apiKey == nil)
        #expect(local.openAI.baseURL == "http://localhost:11434/v1")
        #expect(local.description.contains("openai: llama3.2 at http://localhost:11434/v1 (no key)"))
    }

    @Test func claudeCLIMustBeExecutable() throws {
        #expect(throws: LanguageModelError.self) {
            try LanguageModelConfiguration(environment: ["JOBSMITH_LLM_PROVIDERS": "claude-cli", "CLAUDE_CLI_PATH": "/nonexistent/claude"])
        }
        let configuration = try LanguageModelConfiguration(environment: ["JOBSMITH_LLM_PROVIDERS": "claude-cli", "CLAUDE_CLI_PATH": "/bin/sh"])
        #expect(configuration.claudeCLI.executable == "/bin/sh")
    }

    @Test(arguments: [
        ("JOBSMITH_LLM_PROVIDERS", "anthropic,gemini", "unknown provider 'gemini'"),
        ("JOBSMITH_LLM_PROVIDERS_EXTRACTION", "claude", "unknown provider 'claude'"),
        ("JOBSMITH_LLM_TIMEOUT_SECONDS", "soon", "JOBSMITH_LLM_TIMEOUT_SECONDS must be"),
        ("JOBSMITH_LLM_TIMEOUT_SECONDS", "0", "JOBSMITH_LLM_TIMEOUT_SECONDS must be"),
        ("JOBSMITH_LLM_MAX_ATTEMPTS", "0", "JOBSMITH_LLM_MAX_ATTEMPTS must be"),
        ("JOBSMITH_LLM_BUDGET_USD", "-1", "JOBSMITH_LLM_BUDGET_USD must be"),
        ("JOBSMITH_LLM_PRICING", "my-model=1", "JOBSMITH_LLM_PRICING entry 'my-model=1'"),
        ("OPENAI_TOKEN_LIMIT_FIELD", "tokens", "OPENAI_TOKEN_LIMIT_FIELD must be"),
    ])
    func malformedValuesAreDescribed(name: String, value: String, expected: String) {
        #expect {
            try LanguageModelConfiguration(environment: [name: value])
        } throws: { error in
            (error as? LanguageModelError)?.description.contains(expected) == true
        }
    }

    @Test func budgetAndPricingSettings() throws {
        let configuration = try LanguageModelConfiguration(environment: [
            "JOBSMITH_LLM_BUDGET_USD": "0",
            "JOBSMITH_LLM_PRICING": "llama3.2=0.1/0.2, gpt-4o=3/12",
        ])
        #expect(configuration.budgetLimitDollars == 0)
        #expect(configuration.pricing.pricing(forModel: "llama3.2") == Pricing(inputDollarsPerMillionTokens: 0.1, outputDollarsPerMillionTokens: 0.2))
        #expect(configuration.pricing.pricing(forModel: "gpt-4o") == Pricing(inputDollarsPerMillionTokens: 3, outputDollarsPerMillionTokens: 12))
        #expect(configuration.pricing.pricing(forModel: "claude-sonnet-4-6") != nil)
        #expect(try LanguageModelConfiguration(environment: ["JOBSMITH_LLM_BUDGET_USD": "unlimited"]).budgetLimitDollars == nil)
    }

    @Test(arguments: [("extraction", "EXTRACTION"), ("cv-generator", "CV_GENERATOR"), ("job.research", "JOB_RESEARCH")])
    func stepKeys(step: String, key: String) {
        #expect(LanguageModelConfiguration.stepKey(step) == key)
    }

    @Test func factoryBuildsEachStepsChainWithASharedBudget() async throws {
        try await withHTTPClient { client, pool in
            let configuration = try LanguageModelConfiguration(environment: [
                "JOBSMITH_LLM_PROVIDERS": "anthropic,claude-cli",
                "JOBSMITH_LLM_PROVIDERS_RESEARCH": "openai",
                "ANTHROPIC_API_KEY": "k-abcdef",
                "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1",
                "CLAUDE_CLI_PATH": "/bin/sh",
                "JOBSMITH_LLM_BUDGET_USD": "3",
            ])
            let factory = try LanguageModelChainFactory(configuration: configuration, httpClient: client, threadPool: pool)
            let extraction = factory.chain(forStep: "extraction")
            let research = factory.chain(forStep: "research")
            #expect(extraction.providers.map(\.name) == ["anthropic", "claude-cli"])
            #expect(research.providers.map(\.name) == ["openai"])
            #expect(extraction.description == "extraction: anthropic → claude-cli → deterministic")
            #expect(extraction.budget === research.budget)
            #expect(await factory.budget.limitDollars == 3)
        }
    }

    @Test func factoryRejectsAConfigurationMadeInvalidInCode() async throws {
        try await withHTTPClient { client, pool in
            var configuration = LanguageModelConfiguration()
            configuration.defaultProviders = [.anthropic]
            #expect(throws: LanguageModelError.self) {
                try LanguageModelChainFactory(configuration: configuration, httpClient: client, threadPool: pool)
            }
        }
    }
}
