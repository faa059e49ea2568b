import Foundation

// MARK: - Fingerprint

extension MasterCV {
    /// Changes whenever any part of the CV does, so results computed against an older CV (a fit
    /// score, a tailored CV) can be recognised as stale.
    public var fingerprint: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var hash = FNV1a()
        // Encoding a value of plain strings, numbers and arrays cannot fail.
        hash.combine((try? encoder.encode(self)) ?? Data())
        return hash.hex
    }
}

// MARK: - Loading

extension MasterCV {
    /// Reads and checks a master CV JSON file.
    ///
    /// The master CV is edited by hand, so a failure must say which file, where in it, and what is
    /// wrong (`roles[1].achievements[3]: missing key 'core_fact'`) rather than a bare decoding error.
    /// Besides the JSON shape it checks what tailoring relies on: `YYYY-MM` dates and achievement ids
    /// that are present and unique.
    ///
    /// - Parameter url: A file URL of the master CV JSON.
    /// - Returns: The decoded master CV.
    /// - Throws: ``LoadingError`` naming the file, the place in it and the reason.
    public static func load(from url: URL) throws -> MasterCV {
        let file = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LoadingError(kind: .unreadable, file: file, location: nil, reason: Self.reason(for: error))
        }
        return try decode(data, file: file)
    }

    /// Decodes and checks master CV JSON that has already been read.
    ///
    /// - Parameters:
    ///   - data: The JSON bytes.
    ///   - file: How to name the source in errors (a path, or a label such as "request body").
    /// - Throws: ``LoadingError``.
    public static func decode(_ data: Data, file: String) throws -> MasterCV {
        let master: MasterCV
        do {
            master = try JSONDecoder().decode(MasterCV.self, from: data)
        } catch let error as DecodingError {
            throw LoadingError(decoding: error, file: file)
        } catch {
            throw LoadingError(kind: .malformedJSON, file: file, location: nil, reason: Self.reason(for: error))
        }
        let problems = master.contentProblems()
        if let first = problems.first {
            let reason = problems.map { "\($0.location): \($0.reason)" }.joined(separator: "; ")
            throw LoadingError(kind: .invalidValue, file: file, location: first.location, reason: reason)
        }
        return master
    }

    /// Checks the values tailoring depends on but JSON types cannot express.
    private func contentProblems() -> [(location: String, reason: String)] {
        var problems: [(location: String, reason: String)] = []
        if candidate.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(("candidate.name", "must not be empty"))
        }
        var seenIDs: [String: String] = [:]
        for (roleIndex, role) in roles.enumerated() {
            let rolePath = "roles[\(roleIndex)]"
            if !Self.isYearMonth(role.start) {
                problems.append(("\(rolePath).start", "'\(role.start)' is not a YYYY-MM month"))
            }
            if let end = role.end, !Self.isYearMonth(end) {
                problems.append(("\(rolePath).end", "'\(end)' is not a YYYY-MM month (leave it out for a current role)"))
            }
            for (index, achievement) in role.achievements.enumerated() {
                let path = "\(rolePath).achievements[\(index)]"
                let id = achievement.id.trimmingCharacters(in: .whitespacesAndNewlines)
                if id.isEmpty {
                    problems.append(("\(path).id", "must not be empty"))
                } else if let earlier = seenIDs[id] {
                    problems.append(("\(path).id", "'\(id)' is already used by \(earlier)"))
                } else {
                    seenIDs[id] = path
                }
                if achievement.coreFact.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    problems.append(("\(path).core_fact", "must not be empty"))
                }
            }
        }
        return problems
    }

    private static func isYearMonth(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            Int(parts[0]) != nil, let month = Int(parts[1])
        else { return false }
        return (1...12).contains(month)
    }

    /// Foundation's own message; `NSError` carries the useful detail in its debug description.
    fileprivate static func reason(for error: any Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String, !detail.isEmpty {
            return detail
        }
        return nsError.localizedDescription
    }
}

// MARK: - LoadingError

extension MasterCV {
    /// Why a master CV could not be loaded: which file, where in it, and what failed.
    ///
    /// ```swift
    /// do { _ = try MasterCV.load(from: url) } catch let error as MasterCV.LoadingError {
    ///     print(error)  // master CV /data/cv.json: wrong shape at roles[0].achievements[2]: missing key 'core_fact'
    /// }
    /// ```
    public struct LoadingError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
        /// The class of failure, for callers that react differently (for example a 400 for bad content).
        public struct Kind: Sendable, Hashable, CustomStringConvertible {
            private enum Code: Sendable, Hashable {
                case unreadable
                case malformedJSON
                case wrongShape
                case invalidValue
            }

            private let code: Code

            private init(_ code: Code) {
                self.code = code
            }

            /// The file could not be read (missing, permissions).
            public static let unreadable = Kind(.unreadable)
            /// The bytes are not JSON.
            public static let malformedJSON = Kind(.malformedJSON)
            /// Valid JSON that does not have the master CV's keys or types.
            public static let wrongShape = Kind(.wrongShape)
            /// The right shape with a value tailoring cannot use (bad date, duplicate id, unknown variant type).
            public static let invalidValue = Kind(.invalidValue)

            public var description: String {
                switch code {
                case .unreadable: "cannot read file"
                case .malformedJSON: "not valid JSON"
                case .wrongShape: "wrong shape"
                case .invalidValue: "invalid value"
                }
            }
        }

        public let kind: Kind
        /// The file's path (or the label the caller gave).
        public let file: String
        /// Where in the document, as `roles[1].achievements[0].core_fact`; `nil` when not known.
        public let location: String?
        /// What failed, in words.
        public let reason: String

        public init(kind: Kind, file: String, location: String?, reason: String) {
            self.kind = kind
            self.file = file
            self.location = location
            self.reason = reason
        }

        public var description: String {
            let place = location.map { " at \($0)" } ?? ""
            return "master CV \(file): \(kind)\(place): \(reason)"
        }

        public var errorDescription: String? { description }

        init(decoding error: DecodingError, file: String) {
            switch error {
            case .keyNotFound(let key, let context):
                self.init(
                    kind: .wrongShape,
                    file: file,
                    location: Self.path(context.codingPath),
                    reason: "missing key '\(key.stringValue)'"
                )
            case .typeMismatch(let type, let context):
                self.init(
                    kind: .wrongShape,
                    file: file,
                    location: Self.path(context.codingPath),
                    reason: "expected \(Self.jsonName(of: type)): \(context.debugDescription)"
                )
            case .valueNotFound(let type, let context):
                self.init(
                    kind: .wrongShape,
                    file: file,
                    location: Self.path(context.codingPath),
                    reason: "null where \(Self.jsonName(of: type)) is required"
                )
            case .dataCorrupted(let context):
                // An empty coding path means the bytes themselves failed to parse.
                if context.codingPath.isEmpty {
                    let detail = context.underlyingError.map { MasterCV.reason(for: $0) } ?? context.debugDescription
                    self.init(kind: .malformedJSON, file: file, location: nil, reason: detail)
                } else {
                    self.init(
                        kind: .invalidValue,
                        file: file,
                        location: Self.path(context.codingPath),
                        reason: context.debugDescription
                    )
                }
            @unknown default:
                self.init(kind: .wrongShape, file: file, location: nil, reason: String(describing: error))
            }
        }

        /// `roles[1].achievements[0]`: the path a person editing the JSON can follow.
        private static func path(_ codingPath: [any CodingKey]) -> String? {
            guard !codingPath.isEmpty else { return nil }
            var result = ""
            for key in codingPath {
                if let index = key.intValue {
                    result += "[\(index)]"
                } else {
                    result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return result
        }

        private static func jsonName(of type: Any.Type) -> String {
            switch type {
            case is String.Type: "a string"
            case is Int.Type, is Double.Type: "a number"
            case is Bool.Type: "true or false"
            default:
                String(describing: type).hasPrefix("Array") ? "an array" : "an object"
            }
        }
    }
}
