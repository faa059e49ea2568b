/// One way a value fails a ``JSONSchema``, located by a JSON path.
public struct JSONSchemaProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where, as a JSONPath: `$`, `$.skills[2]`, `$["odd key"]`.
    public var path: String
    /// What is wrong: `expected string, found integer`.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `$.skills[2]: expected string, found integer`.
    public var description: String { "\(path): \(message)" }
}

extension JSONSchema {
    /// Every problem with `value`, in document order; empty when it conforms.
    ///
    /// A value of the wrong type is reported once, without the follow-on complaints its other
    /// keywords would add, so the repair prompt stays short and to the point.
    public func validate(_ value: JSONValue) -> [JSONSchemaProblem] {
        var problems: [JSONSchemaProblem] = []
        validate(value, at: "$", into: &problems)
        return problems
    }

    private func validate(_ value: JSONValue, at path: String, into problems: inout [JSONSchemaProblem]) {
        func report(_ message: String) {
            problems.append(JSONSchemaProblem(path: path, message: message))
        }

        if let types, !types.contains(where: { Self.value(value, hasType: $0) }) {
            let expected = types.map(\.rawValue)
            let list = expected.count == 1 ? expected[0] : expected.dropLast().joined(separator: ", ") + " or " + (expected.last ?? "")
            report("expected \(list), found \(value.typeName)")
            return
        }
        if let enumValues, !enumValues.contains(value) {
            let allowed = enumValues.map(\.jsonText).joined(separator: ", ")
            report("\(value.jsonText) is not one of \(allowed)")
        }

        switch value {
        case .number(let number):
            let shown = JSONTextWriter.format(number)
            if let minimum, number < minimum { report("\(shown) is less than the minimum \(JSONTextWriter.format(minimum))") }
            if let maximum, number > maximum { report("\(shown) is greater than the maximum \(JSONTextWriter.format(maximum))") }
        case .string(let string):
            let length = string.unicodeScalars.count
            if let minLength, length < minLength { report("string is shorter than \(minLength) characters") }
            if let maxLength, length > maxLength { report("string is longer than \(maxLength) characters (\(length))") }
        case .array(let elements):
            if let minItems, elements.count < minItems { report("expected at least \(minItems) items, found \(elements.count)") }
            if let maxItems, elements.count > maxItems { report("expected at most \(maxItems) items, found \(elements.count)") }
            if let items {
                for (index, element) in elements.enumerated() {
                    items.validate(element, at: "\(path)[\(index)]", into: &problems)
                }
            }
        case .object(let members):
            validateObject(members, at: path, into: &problems)
        case .null, .bool:
            break
        }
    }

    private func validateObject(_ members: [String: JSONValue], at path: String, into problems: inout [JSONSchemaProblem]) {
        for name in required ?? [] where members[name] == nil {
            problems.append(JSONSchemaProblem(path: Self.path(path, appending: name), message: "required property is missing"))
        }
        let known = properties ?? []
        for property in known {
            guard let member = members[property.name] else { continue }
            property.schema.validate(member, at: Self.path(path, appending: property.name), into: &problems)
        }
        if additionalProperties == false {
            let knownNames = Set(known.map(\.name))
            for name in members.keys.sorted() where !knownNames.contains(name) {
                problems.append(JSONSchemaProblem(path: Self.path(path, appending: name), message: "property is not allowed"))
            }
        }
    }

    private static func value(_ value: JSONValue, hasType type: ValueType) -> Bool {
        switch (type, value) {
        case (.object, .object), (.array, .array), (.string, .string), (.boolean, .bool), (.null, .null): true
        case (.number, .number): true
        case (.integer, .number(let number)): JSONValue.isInteger(number)
        default: false
        }
    }

    /// `$.name` for identifier-like names, `$["odd name"]` for the rest.
    static func path(_ base: String, appending name: String) -> String {
        let isIdentifier = name.first.map { $0.isLetter || $0 == "_" } == true
            && name.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }
        if isIdentifier { return "\(base).\(name)" }
        var writer = JSONTextWriter(pretty: false)
        writer.writeString(name)
        return "\(base)[\(writer.output)]"
    }
}
