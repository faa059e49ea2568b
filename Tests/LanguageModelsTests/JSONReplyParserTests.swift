import LanguageModels
import Testing

@Suite("JSONReplyParser")
struct JSONReplyParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var reply: String
        var expected: JSONValue
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain object", reply: #"{"a": 1, "b": [true, null]}"#, expected: ["a": 1, "b": [true, nil]]),
        Case(name: "surrounding whitespace", reply: "\n\n  {\"a\": 1}  \n", expected: ["a": 1]),
        Case(name: "json fence", reply: "```json\n{\"skills\": [\"swift\"]}\n```", expected: ["skills": ["swift"]]),
        Case(name: "bare fence", reply: "```\n[1, 2, 3]\n```", expected: [1, 2, 3]),
        Case(
            name: "chatty before and after",
            reply: "Here is the JSON: {\"title\": \"Engineer\"} Hope this helps!",
            expected: ["title": "Engineer"]
        ),
        Case(
            name: "fence inside chat",
            reply: "Sure thing.\n\n```json\n{\"remote\": false}\n```\n\nAnything else?",
            expected: ["remote": false]
        ),
        Case(
            name: "nested braces",
            reply: #"Result: {"a": {"b": {"c": [1, {"d": {}}]}}, "e": []} done"#,
            expected: ["a": ["b": ["c": [1, ["d": [:]]]]], "e": []]
        ),
        Case(
            name: "braces and quotes inside strings",
            reply: #"The answer is {"text": "use {curly} } and \"quotes\" ]", "n": -1.5e2} — note the } above."#,
            expected: ["text": "use {curly} } and \"quotes\" ]", "n": -150]
        ),
        Case(
            name: "placeholder braces in prose before the JSON",
            reply: #"I replaced {name} and {company}. Final: {"name": "Ada"}"#,
            expected: ["name": "Ada"]
        ),
        Case(
            name: "array in prose",
            reply: #"The skills are ["swift", "nio"], as requested."#,
            expected: ["swift", "nio"]
        ),
        Case(
            name: "bracketed prose before a fence",
            reply: "Step [1]: done.\n```json\n{\"ok\": true}\n```",
            expected: ["ok": true]
        ),
        Case(
            name: "unicode escapes",
            reply: #"{"city": "Z\u00fcrich", "emoji": "\ud83d\ude00", "raw": "café"}"#,
            expected: ["city": "Zürich", "emoji": "😀", "raw": "café"]
        ),
        Case(
            name: "invalid fence body falls back to scanning",
            reply: "```json\n// the result\n{\"a\": 2}\n```",
            expected: ["a": 2]
        ),
        Case(
            name: "unclosed fence",
            reply: "```json\n{\"a\": 3}",
            expected: ["a": 3]
        ),
    ]

    @Test(arguments: cases)
    func extractsTheJSON(_ testCase: Case) throws {
        let extracted = try JSONReplyParser.extract(from: testCase.reply)
        #expect(extracted.value == testCase.expected)
        #expect(try JSONValue(parsing: extracted.text) == testCase.expected)
    }

    @Test(arguments: [
        ("", "the reply is empty"),
        ("I could not find any requirements.", "the reply contains no JSON object or array"),
        (#"{"title": "Engineer", "skills": ["swift""#, "JSON starting at offset 0 is invalid"),
        ("```json\n{'single': 'quotes'}\n```", "the code block is not valid JSON"),
    ])
    func reportsWhyNothingWasFound(reply: String, reason: String) {
        #expect {
            try JSONReplyParser.extract(from: reply)
        } throws: { error in
            (error as? JSONExtractionError)?.reason.hasPrefix(reason) == true
        }
    }

    @Test func onlyAcceptedKindsAreReturned() throws {
        let reply = #"Skills: ["swift"]. Details: {"level": "senior"}"#
        #expect(try JSONReplyParser.extract(from: reply, accepting: [.object]).value == ["level": "senior"])
        #expect(try JSONReplyParser.extract(from: reply, accepting: [.array]).value == ["swift"])
        #expect(try JSONReplyParser.extract(from: "42", accepting: [.number]).value == 42)
        #expect(throws: JSONExtractionError.self) { try JSONReplyParser.extract(from: "[1, 2]", accepting: [.object]) }
    }

    @Test func deeplyNestedInputIsRejectedQuicklyNotCrashed() {
        let hostile = String(repeating: "[", count: 50_000)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: JSONExtractionError.self) { try JSONReplyParser.extract(from: hostile) }
        // Milliseconds alone; the bound only catches a scan that went quadratic, with room for a
        // loaded machine.
        #expect(clock.now - start < .seconds(30))
    }

    @Test func nestingWithinTheLimitIsAccepted() throws {
        let nested = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(try JSONReplyParser.extract(from: "deep: \(nested)").text == nested)
    }

    @Test(arguments: [
        #"{"a": 1,}"#, #"{a: 1}"#, #"[1 2]"#, #"{"a": 01}"#, #"{"a": "\x"}"#, #"{"a": "\ud800"}"#, "{\"a\": \"line\nbreak\"}",
        #"[1] extra"#, #"nul"#, #"-"#, #"1."#,
    ])
    func strictParserRejectsInvalidJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func valuesRoundTripThroughText() throws {
        let value: JSONValue = ["b": [1, 2.5, "x\n\"y\"", nil, true], "a": ["nested": [:]], "control": "\u{01}"]
        #expect(value.jsonText == #"{"a":{"nested":{}},"b":[1,2.5,"x\n\"y\"",null,true],"control":"\u0001"}"#)
        #expect(try JSONValue(parsing: value.jsonText) == value)
    }
}
