/// The subset of JSON Schema that model replies are checked against.
///
/// Enough to describe what a step expects back — types (and type unions such as `["string", "null"]`),
/// `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `minimum`/`maximum`,
/// `minItems`/`maxItems`, `minLength`/`maxLength` — and small enough to read in one sitting. A schema
/// is also part of the prompt: ``jsonText`` prints it with properties in declaration order, so the
/// model sees what the code checks.
///
/// ```swift
/// let schema = JSONSchema.object([
///     "title": .string(minLength: 1),
///     "skills": .array(of: .string(), maxItems: 30),
///     "seniority": .string(enum: ["junior", "mid", "senior"]),
///     "salary": .integer(minimum: 0).orNull(),
/// ])
/// let problems = schema.validate(value)  // ["$.skills[2]: expected string, found integer"]
/// ```
public struct JSONSchema: Sendable, Hashable {
    /// A JSON Schema type name.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        case object, array, string, integer, number, boolean, null
    }

    /// One named property of an object schema.
    public struct Property: Sendable, Hashable {
        public var name: String
        public var schema: JSONSchema

        public init(name: String, schema: JSONSchema) {
            self.name = name
            self.schema = schema
        }
    }

    /// Allowed types; `nil` allows any.
    public var types: [ValueType]?
    /// A note for the model (JSON Schema's `description`).
    public var summary: String?
    /// Known properties, in the order a prompt shows them.
    public var properties: [Property]?
    /// Properties that must be present.
    public var required: [String]?
    /// `false` rejects properties not in ``properties``; `nil` or `true` allows them.
    public var additionalProperties: Bool?
    /// Allowed values, compared as JSON (`3` equals `3.0`).
    public var enumValues: [JSONValue]?
    public var minimum: Double?
    public var maximum: Double?
    public var minItems: Int?
    public var maxItems: Int?
    /// Limits on a string's length in Unicode scalars (JSON Schema's code points).
    public var minLength: Int?
    public var maxLength: Int?
    /// The element schema, boxed in an array because a struct cannot hold itself.
    private var itemsStorage: [JSONSchema]

    /// The schema every element of an array must match.
    public var items: JSONSchema? {
        get { itemsStorage.first }
        set { itemsStorage = newValue.map { [$0] } ?? [] }
    }

    public init(
        types: [ValueType]? = nil,
        summary: String? = nil,
        properties: [Property]? = nil,
        required: [String]? = nil,
        additionalProperties: Bool? = nil,
        items: JSONSchema? = nil,
        enumValues: [JSONValue]? = nil,
        minimum: Double? = nil,
        maximum: Double? = nil,
        minItems: Int? = nil,
        maxItems: Int? = nil,
        minLength: Int? = nil,
        maxLength: Int? = nil
    ) {
        self.types = types
        self.summary = summary
        self.properties = properties
        self.required = required
        self.additionalProperties = additionalProperties
        self.itemsStorage = items.map { [$0] } ?? []
        self.enumValues = enumValues
        self.minimum = minimum
        self.maximum = maximum
        self.minItems = minItems
        self.maxItems = maxItems
        self.minLength = minLength
        self.maxLength = maxLength
    }

    // MARK: Builders

    /// Accepts any JSON value.
    public static let any = JSONSchema()

    /// An object with `properties` in this order.
    ///
    /// - Parameters:
    ///   - required: The properties that must be present; `nil` (the default) requires all of them,
    ///     which is what a step's reply usually means. Pass `[]` to make all optional.
    ///   - additionalProperties: Whether other properties are allowed. Default `true`: models add
    ///     harmless extras, and rejecting them costs a repair round-trip.
    public static func object(
        _ properties: KeyValuePairs<String, JSONSchema>,
        required: [String]? = nil,
        additionalProperties: Bool = true,
        summary: String? = nil
    ) -> JSONSchema {
        let list = properties.map { Property(name: $0.key, schema: $0.value) }
        return JSONSchema(
            types: [.object],
            summary: summary,
            properties: list,
            required: required ?? list.map(\.name),
            additionalProperties: additionalProperties ? nil : false
        )
    }

    public static func array(of items: JSONSchema, minItems: Int? = nil, maxItems: Int? = nil, summary: String? = nil) -> JSONSchema {
        JSONSchema(types: [.array], summary: summary, items: items, minItems: minItems, maxItems: maxItems)
    }

    public static func string(
        enum values: [String]? = nil,
        minLength: Int? = nil,
        maxLength: Int? = nil,
        summary: String? = nil
    ) -> JSONSchema {
        JSONSchema(
            types: [.string], summary: summary, enumValues: values?.map(JSONValue.string),
            minLength: minLength, maxLength: maxLength
        )
    }

    public static func integer(minimum: Double? = nil, maximum: Double? = nil, summary: String? = nil) -> JSONSchema {
        JSONSchema(types: [.integer], summary: summary, minimum: minimum, maximum: maximum)
    }

    public static func number(minimum: Double? = nil, maximum: Double? = nil, summary: String? = nil) -> JSONSchema {
        JSONSchema(types: [.number], summary: summary, minimum: minimum, maximum: maximum)
    }

    public static func boolean(summary: String? = nil) -> JSONSchema {
        JSONSchema(types: [.boolean], summary: summary)
    }

    public static let null = JSONSchema(types: [.null])

    /// The same schema that also accepts `null` (`"type": ["string", "null"]`).
    public func orNull() -> JSONSchema {
        var copy = self
        if var types = copy.types, !types.contains(.null) {
            types.append(.null)
            copy.types = types
        }
        if var values = copy.enumValues, !values.contains(.null) {
            values.append(.null)
            copy.enumValues = values
        }
        return copy
    }

    /// The same schema with a note for the model.
    public func summarized(_ summary: String) -> JSONSchema {
        var copy = self
        copy.summary = summary
        return copy
    }

    /// The top-level JSON kinds this schema can accept, for ``JSONReplyParser``.
    var acceptedReplyKinds: Set<JSONReplyParser.Kind> {
        guard let types else { return [.object, .array] }
        return Set(types.map { type -> JSONReplyParser.Kind in
            switch type {
            case .object: .object
            case .array: .array
            case .string: .string
            case .integer, .number: .number
            case .boolean: .boolean
            case .null: .null
            }
        })
    }
}
