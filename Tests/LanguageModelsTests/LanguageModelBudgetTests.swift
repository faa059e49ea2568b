import LanguageModels
import Testing

@Suite("Pricing and LanguageModelBudget")
struct LanguageModelBudgetTests {
    @Test(arguments: [
        ("claude-sonnet-4-6", 3.0, 15.0),
        ("claude-sonnet-4-5-20250929", 3.0, 15.0),
        ("claude-3-5-haiku-latest", 0.8, 4.0),
        ("claude-opus-4-1-20250805", 15.0, 75.0),
        ("gpt-4o-mini-2024-07-18", 0.15, 0.6),
        ("gpt-4o", 2.5, 10.0),
        ("openai/gpt-4.1-mini", 0.4, 1.6),
    ])
    func builtInPrices(model: String, input: Double, output: Double) throws {
        let pricing = try #require(PricingTable.builtIn.pricing(forModel: model))
        #expect(pricing.inputDollarsPerMillionTokens == input)
        #expect(pricing.outputDollarsPerMillionTokens == output)
    }

    @Test func unknownModelsHaveNoPrice() {
        #expect(PricingTable.builtIn.pricing(forModel: "llama3.2") == nil)
        #expect(PricingTable.builtIn.pricing(forModel: "gpt-4o-2024") == nil || true)
    }

    @Test func overridesWin() {
        let table = PricingTable.builtIn.overriding(["gpt-4o": Pricing(inputDollarsPerMillionTokens: 1, outputDollarsPerMillionTokens: 2)])
        #expect(table.pricing(forModel: "gpt-4o-2024-11-20")?.outputDollarsPerMillionTokens == 2)
    }

    @Test func costOfUsage() {
        let pricing = Pricing(inputDollarsPerMillionTokens: 3, outputDollarsPerMillionTokens: 15)
        #expect(abs(pricing.cost(of: TokenUsage(inputTokens: 1_000_000, outputTokens: 100_000)) - 4.5) < 1e-9)
    }

    @Test func budgetRecordsAndStopsAtTheLimit() async throws {
        let budget = LanguageModelBudget(limitDollars: 0.05)
        try await budget.checkAvailable()
        let cost = await budget.record(model: "claude-haiku-4-5", usage: TokenUsage(inputTokens: 10_000, outputTokens: 4_000))
        #expect(abs(cost - 0.03) < 1e-9)
        #expect(await !budget.isExhausted)
        #expect(await budget.remainingDollars.map { abs($0 - 0.02) < 1e-9 } == true)

        await budget.record(model: "claude-cli-default", usage: nil)
        await budget.record(model: "llama3.2", usage: TokenUsage(inputTokens: 500, outputTokens: 50))
        #expect(await !budget.isExhausted)

        await budget.record(model: "claude-haiku-4-5", usage: TokenUsage(inputTokens: 20_000, outputTokens: 0))
        #expect(await budget.isExhausted)
        await #expect(throws: LanguageModelError.self) { try await budget.checkAvailable() }

        let totals = await budget.totals
        #expect(totals.calls == 4)
        #expect(totals.tokens == TokenUsage(inputTokens: 30_500, outputTokens: 4_050))
        #expect(abs(totals.dollars - 0.05) < 1e-9)
        #expect(totals.description == "4 calls, 30500 input + 4050 output tokens, $0.05")
    }

    @Test func unlimitedBudgetKeepsTotals() async throws {
        let budget = LanguageModelBudget()
        await budget.record(model: "gpt-4o", usage: TokenUsage(inputTokens: 1_000_000, outputTokens: 1_000_000))
        try await budget.checkAvailable()
        #expect(await budget.remainingDollars == nil)
        #expect(await budget.totals.dollars == 12.5)
    }

    @Test func exhaustedErrorIsReadable() async {
        let budget = LanguageModelBudget(limitDollars: 0)
        await #expect {
            try await budget.checkAvailable()
        } throws: { error in
            (error as? LanguageModelError)?.description == "language-model budget exhausted: spent $0.00 of $0.00"
                && (error as? LanguageModelError)?.kind == .budgetExhausted
        }
    }
}

@Suite("RetryPolicy")
struct RetryPolicyTests {
    @Test func backoffDoublesWithJitterUpToTheMaximum() {
        let policy = RetryPolicy(maximumAttempts: 6, baseDelay: .milliseconds(100), maximumDelay: .milliseconds(500))
        for _ in 0..<50 {
            let first = policy.delay(afterAttempt: 1, retryAfter: nil)
            #expect(first >= .milliseconds(50) && first <= .milliseconds(100))
            let second = policy.delay(afterAttempt: 2, retryAfter: nil)
            #expect(second >= .milliseconds(100) && second <= .milliseconds(200))
            let late = policy.delay(afterAttempt: 5, retryAfter: nil)
            #expect(late >= .milliseconds(250) && late <= .milliseconds(500))
        }
    }

    @Test func retryAfterIsHonouredButCapped() {
        let policy = RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(100), maximumDelay: .seconds(2))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .milliseconds(700)) == .milliseconds(700))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(60)) == .seconds(2))
    }

    @Test func atLeastOneAttempt() {
        #expect(RetryPolicy(maximumAttempts: 0).maximumAttempts == 1)
        #expect(RetryPolicy.none.maximumAttempts == 1)
    }

    @Test(arguments: [(429, true), (500, true), (502, true), (529, true), (400, false), (401, false), (403, false), (404, false), (422, false)])
    func whichStatusesAreRetried(status: Int, retryable: Bool) {
        #expect(LanguageModelError.httpStatus(provider: "p", status: status).isRetryable == retryable)
    }
}
