import Foundation
import LanguageModels
import Testing

@Suite("JSONSchema")
struct JSONSchemaTests {
    static let posting = JSONSchema.object(
        [
            "title": .string(minLength: 1, maxLength: 80),
            "skills": .array(of: .string(), minItems: 1, maxItems: 3),
            "seniority": .string(enum: ["junior", "mid", "senior"]),
            "salary": .integer(minimum: 0, maximum: 1_000_000).orNull(),
            "score": .number(minimum: 0, maximum: 1),
            "remote": .boolean(),
        ],
        required: ["title", "skills", "seniority"],
        additionalProperties: false,
        summary: "A job posting's key facts"
    )

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var value: JSONValue
        var problems: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "valid",
            value: ["title": "Engineer", "skills": ["swift"], "seniority": "senior", "salary": 90_000, "score": 0.5, "remote": true],
            problems: []
        ),
        Case(name: "null allowed by orNull", value: ["title": "E", "skills": ["a"], "seniority": "mid", "salary": nil], problems: []),
        Case(name: "integer written as 3.0", value: ["title": "E", "skills": ["a"], "seniority": "mid", "salary": 3.0], problems: []),
        Case(
            name: "wrong element type",
            value: ["title": "E", "skills": ["a", "b", 3], "seniority": "mid"],
            problems: ["$.skills[2]: expected string, found integer"]
        ),
        Case(
            name: "missing required properties",
            value: ["title": "E"],
            problems: ["$.skills: required property is missing", "$.seniority: required property is missing"]
        ),
        Case(
            name: "enum, bounds and lengths",
            value: ["title": "", "skills": [], "seniority": "principal", "salary": -5, "score": 1.5],
            problems: [
                "$.title: string is shorter than 1 characters",
                "$.skills: expected at least 1 items, found 0",
                #"$.seniority: "principal" is not one of "junior", "mid", "senior""#,
                "$.salary: -5 is less than the minimum 0",
                "$.score: 1.5 is greater than the maximum 1",
            ]
        ),
        Case(
            name: "fractional integer and too many items",
            value: ["title": "E", "skills": ["a", "b", "c", "d"], "seniority": "mid", "salary": 10.5],
            problems: ["$.skills: expected at most 3 items, found 4", "$.salary: expected integer or null, found number"]
        ),
        Case(
            name: "additional properties rejected",
            value: ["title": "E", "skills": ["a"], "seniority": "mid", "extra": 1, "odd key": true],
            problems: ["$.extra: property is not allowed", #"$["odd key"]: property is not allowed"#]
        ),
        Case(name: "wrong root type", value: ["a", "b"], problems: ["$: expected object, found array"]),
        Case(
            name: "type mismatch reported once",
            value: ["title": 42, "skills": "swift", "seniority": nil, "remote": "yes"],
            problems: [
                "$.title: expected string, found integer",
                "$.skills: expected array, found string",
                "$.seniority: expected string, found null",
                "$.remote: expected boolean, found string",
            ]
        ),
    ]

    @Test(arguments: cases)
    func validates(_ testCase: Case) {
        #expect(Self.posting.validate(testCase.value).map(\.description) == testCase.problems)
    }

    @Test(arguments: [
        (JSONSchema(types: [.string, .null]), JSONValue.string("x"), true),
        (JSONSchema(types: [.string, .null]), JSONValue.null, true),
        (JSONSchema(types: [.string, .null]), JSONValue.number(1), false),
        (JSONSchema(types: [.number]), JSONValue.number(2), true),
        (JSONSchema(types: [.integer]), JSONValue.number(2.5), false),
        (JSONSchema.any, JSONValue.object(["anything": .array([])]), true),
        (JSONSchema.null, JSONValue.bool(false), false),
        (JSONSchema.string(maxLength: 3), JSONValue.string("日本語"), true),
        (JSONSchema.string(maxLength: 3), JSONValue.string("日本語です"), false),
    ])
    func typeUnionsAndLimits(schema: JSONSchema, value: JSONValue, valid: Bool) {
        #expect(schema.validate(value).isEmpty == valid)
    }

    @Test func nestedPathsAreReported() {
        let schema = JSONSchema.object([
            "companies": .array(of: .object(["name": .string(), "offices": .array(of: .object(["city": .string()]))])),
        ])
        let value: JSONValue = ["companies": [["name": "A", "offices": [["city": "Oslo"], ["city": 7]]]]]
        #expect(schema.validate(value).map(\.description) == ["$.companies[0].offices[1].city: expected string, found integer"])
    }

    @Test func printsAsJSONSchemaInDeclarationOrder() throws {
        let schema = JSONSchema.object(
            ["title": .string(), "skills": .array(of: .string(), maxItems: 5), "salary": .integer(minimum: 0).orNull()],
            required: ["title"],
            additionalProperties: false
        )
        let expected = """
            {"type":"object","properties":{"title":{"type":"string"},"skills":{"type":"array","items":{"type":"string"},\
            "maxItems":5},"salary":{"type":["integer","null"],"minimum":0}},"required":["title"],"additionalProperties":false}
            """
        #expect(schema.jsonText(pretty: false) == expected)
        #expect(try JSONValue(parsing: schema.jsonText()) == schema.jsonValue)
        #expect(schema.jsonText().contains("\n  \"properties\": {\n    \"title\": {"))
    }

    @Test func encodesThroughCodable() throws {
        struct Prompt: Encodable { var schema: JSONSchema }
        let data = try JSONEncoder().encode(Prompt(schema: .string(enum: ["a", "b"], summary: "a letter")))
        let decoded = try JSONValue(parsing: String(decoding: data, as: UTF8.self))
        #expect(decoded == ["schema": ["type": "string", "description": "a letter", "enum": ["a", "b"]]])
    }
}

