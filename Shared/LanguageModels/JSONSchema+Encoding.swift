extension JSONSchema {
    /// The schema as JSON Schema text, keywords in a fixed order and properties in declaration
    /// order, for prompts and logs.
    public func jsonText(pretty: Bool = true) -> String {
        var writer = JSONTextWriter(pretty: pretty)
        write(to: &writer)
        return writer.output
    }

    /// The schema as a ``JSONValue`` (object keys then sort alphabetically).
    public var jsonValue: JSONValue {
        // The writer's output is always valid JSON, so parsing it cannot fail.
        (try? JSONValue(parsing: jsonText(pretty: false))) ?? .object([:])
    }

    private func write(to writer: inout JSONTextWriter) {
        var members: [(key: String, write: (inout JSONTextWriter) -> Void)] = []
        if let types {
            if types.count == 1, let only = types.first {
                members.append(("type", { $0.writeString(only.rawValue) }))
            } else {
                members.append(("type", { writer in writer.writeArray(types.count) { $0.writeString(types[$1].rawValue) } }))
            }
        }
        if let summary { members.append(("description", { $0.writeString(summary) })) }
        if let enumValues {
            members.append(("enum", { writer in writer.writeArray(enumValues.count) { $0.write(enumValues[$1]) } }))
        }
        if let minimum { members.append(("minimum", { $0.write(.number(minimum)) })) }
        if let maximum { members.append(("maximum", { $0.write(.number(maximum)) })) }
        if let minLength { members.append(("minLength", { $0.write(.number(Double(minLength))) })) }
        if let maxLength { members.append(("maxLength", { $0.write(.number(Double(maxLength))) })) }
        if let properties {
            members.append(("properties", { writer in
                writer.writeObject(properties.count) { writer, index in
                    writer.writeKey(properties[index].name)
                    properties[index].schema.write(to: &writer)
                }
            }))
        }
        if let required, !required.isEmpty {
            members.append(("required", { writer in writer.writeArray(required.count) { $0.writeString(required[$1]) } }))
        }
        if let additionalProperties {
            members.append(("additionalProperties", { $0.write(.bool(additionalProperties)) }))
        }
        if let items { members.append(("items", { items.write(to: &$0) })) }
        if let minItems { members.append(("minItems", { $0.write(.number(Double(minItems))) })) }
        if let maxItems { members.append(("maxItems", { $0.write(.number(Double(maxItems))) })) }

        writer.writeObject(members.count) { writer, index in
            writer.writeKey(members[index].key)
            members[index].write(&writer)
        }
    }
}

extension JSONSchema: Encodable {
    /// Encodes the same document as ``jsonText(pretty:)`` (an encoder may order the keys its own way).
    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }
}
