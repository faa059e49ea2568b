import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IntegrationTesting
import Postgres
import Runtime
import Store
import Testing
import TextAnalysis

/// Annotations of a real posting's description, structured by the real structurer and stored the way
/// the extraction service stores it, through the gateway's routes on a real PostgreSQL.
@Suite("Annotations") struct AnnotationTests {
    /// A real posting with a responsibilities and a qualifications section, stored as ingestion stores
    /// it and then structured as extraction structures it.
    struct StructuredJob {
        var id: Int
        var structure: DescriptionStructure

        /// The index of the first section of `type`.
        func index(of type: SectionType) throws -> Int {
            try #require(structure.sections.firstIndex { $0.type == type }, "no \(type) section")
        }

        /// A section's text, exactly as annotation offsets count it.
        func text(ofSection index: Int) -> String {
            let section = structure.sections[index]
            let utf16 = structure.text.utf16
            let lower = utf16.index(utf16.startIndex, offsetBy: section.start)
            let upper = utf16.index(utf16.startIndex, offsetBy: section.end)
            return String(structure.text[lower..<upper])
        }

        /// The UTF-16 offsets of `phrase` in a section's text.
        func offsets(of phrase: String, inSection index: Int) throws -> (start: Int, end: Int) {
            let text = text(ofSection: index)
            let range = try #require(text.range(of: phrase), "'\(phrase)' is not in section \(index)")
            let start = text.utf16.distance(from: text.utf16.startIndex, to: range.lowerBound)
            return (start, start + phrase.utf16.count)
        }
    }

    static func structuredJob(_ context: ServiceContext) async throws -> StructuredJob {
        var posting: (id: Int, input: JobStore.ExtractionInput)?
        for id in try await seedAshbyJobs(context, companies: ["Nango"]) {
            if let input = try await context.store.extractionInput(jobID: id), input.title.hasPrefix("Senior Backend Engineer") {
                posting = (id, input)
                break
            }
        }
        let (id, input) = try #require(posting, "no Senior Backend Engineer posting on the Nango board")
        let structure = DescriptionStructurer.structure(html: input.descriptionHTML)
        try await context.store.saveExtraction(jobID: id, .init(
            contentHash: input.contentHash,
            cleanText: structure.text,
            sections: try PostgresJSON(structure.sections),
            engine: "deterministic-v2",
            attempts: try PostgresJSON([String]())
        ))
        return StructuredJob(id: id, structure: structure)
    }

    // MARK: - Requests

    private func post(_ client: some TestClientProtocol, job: Int, _ body: [String: Any], headers: HTTPFields = .authorizedJSON) async throws -> TestResponse {
        try await client.execute(uri: "/api/jobs/\(job)/annotations", method: .post, headers: headers, body: try jsonBody(body))
    }

    private func patch(_ client: some TestClientProtocol, job: Int, annotation: Int, _ body: [String: Any], headers: HTTPFields = .authorizedJSON) async throws -> TestResponse {
        try await client.execute(uri: "/api/jobs/\(job)/annotations/\(annotation)", method: .patch, headers: headers, body: try jsonBody(body))
    }

    private func delete(_ client: some TestClientProtocol, job: Int, annotation: Int, headers: HTTPFields = .authorizedJSON) async throws -> TestResponse {
        try await client.execute(uri: "/api/jobs/\(job)/annotations/\(annotation)", method: .delete, headers: headers)
    }

    private func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get)
    }

    /// Creates an annotation that must succeed, and returns it.
    private func create(_ client: some TestClientProtocol, job: Int, _ body: [String: Any]) async throws -> [String: Any] {
        let response = try await post(client, job: job, body)
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try #require(try response.object()["annotation"] as? [String: Any])
    }

    /// The coverage entry of a section type in a response.
    private func typeCoverage(_ object: [String: Any], _ type: String) -> [String: Any]? {
        ((object["coverage"] as? [String: Any])?["by_type"] as? [[String: Any]])?.first { $0["section_type"] as? String == type }
    }

    /// The annotation count of a section in a response.
    private func sectionCount(_ object: [String: Any], _ index: Int) -> Int? {
        ((object["coverage"] as? [String: Any])?["by_section"] as? [[String: Any]])?.first { $0["section_index"] as? Int == index }?["annotations"] as? Int
    }

    // MARK: - Lifecycle

    @Test("Annotations are created, listed, patched and deleted, and coverage follows each write")
    func lifecycle() async throws {
        try await withGateway { client, context in
            let job = try await Self.structuredJob(context)
            let duties = try job.index(of: .responsibilities)
            let profile = try job.index(of: .qualifications)

            let design = try job.offsets(of: "Design and scale backend systems", inSection: duties)
            let first = try await create(client, job: job.id, [
                "section_index": duties, "start": design.start, "end": design.end, "relevance": "core_strength",
            ])
            #expect(first["quote"] as? String == "Design and scale backend systems")
            #expect(first["section_type"] as? String == "responsibilities")
            #expect(first["requirement_type"] is NSNull && first["note"] as? String == "")
            let firstID = try #require(first["id"] as? Int)

            // An overlapping span, with the quote the client saw.
            let scale = try job.offsets(of: "scale backend systems, APIs", inSection: duties)
            let response = try await post(client, job: job.id, [
                "section_index": duties, "start": scale.start, "end": scale.end, "quote": "scale backend systems, APIs",
                "requirement_type": "must_have", "identity": "core_identity", "note": "  the heart\u{0} of the role  ",
            ])
            #expect(response.status == .created)
            let created = try response.object()
            let second = try #require(created["annotation"] as? [String: Any])
            let secondID = try #require(second["id"] as? Int)
            #expect(second["note"] as? String == "the heart of the role")
            let duty = try #require(typeCoverage(created, "responsibilities"))
            #expect(duty["annotations"] as? Int == 2 && duty["target"] as? Int == 5)
            #expect(duty["fraction"] as? Double == 0.4)
            #expect(sectionCount(created, duties) == 2 && sectionCount(created, profile) == 0)

            let node = try job.offsets(of: "Node.js", inSection: profile)
            let third = try await create(client, job: job.id, [
                "section_index": profile, "start": node.start, "end": node.end, "relevance": "gap", "passion": "tolerate",
            ])
            let thirdID = try #require(third["id"] as? Int)

            // Listed in reading order, with the coverage of every section type the posting has.
            let list = try await get(client, "/api/jobs/\(job.id)/annotations")
            #expect(list.status == .ok)
            let listed = try list.object()
            let items = try #require(listed["items"] as? [[String: Any]])
            let expectedOrder = duties < profile ? [firstID, secondID, thirdID] : [thirdID, firstID, secondID]
            #expect(items.compactMap { $0["id"] as? Int } == expectedOrder)
            #expect(listed["structured"] as? Bool == true)
            #expect(typeCoverage(listed, "qualifications")?["annotations"] as? Int == 1)
            let sections = try #require((listed["coverage"] as? [String: Any])?["by_section"] as? [[String: Any]])
            #expect(sections.count == job.structure.sections.count)
            // 2 of 5 responsibilities and 1 of 5 qualifications, over the targets this posting has.
            let targeted = Set(job.structure.sections.map(\.type.rawValue)).intersection(["responsibilities", "qualifications", "technical_skills", "nice_to_have"])
            let wanted = targeted.reduce(0) { $0 + ["responsibilities": 5, "qualifications": 5, "technical_skills": 4, "nice_to_have": 2][$1]! }
            #expect((listed["coverage"] as? [String: Any])?["overall"] as? Double == 3.0 / Double(wanted))

            // Patching one label leaves the annotation's other fields and the other annotations alone.
            let secondBefore = try await get(client, "/api/jobs/\(job.id)/annotations/\(secondID)").object()
            let patched = try await patch(client, job: job.id, annotation: firstID, ["passion": "love_it"])
            #expect(patched.status == .ok)
            let afterPatch = try #require(try patched.object()["annotation"] as? [String: Any])
            #expect(afterPatch["passion"] as? String == "love_it")
            #expect(afterPatch["relevance"] as? String == "core_strength")
            #expect(afterPatch["quote"] as? String == "Design and scale backend systems")
            #expect(afterPatch["start"] as? Int == design.start && afterPatch["end"] as? Int == design.end)
            #expect(typeCoverage(try patched.object(), "responsibilities")?["annotations"] as? Int == 2)
            let secondAfter = try await get(client, "/api/jobs/\(job.id)/annotations/\(secondID)").object()
            #expect(NSDictionary(dictionary: secondAfter).isEqual(to: secondBefore))

            // null clears a label; the rest stays.
            let cleared = try await patch(client, job: job.id, annotation: firstID, ["relevance": NSNull()]).object()["annotation"] as? [String: Any]
            #expect(cleared?["relevance"] is NSNull)
            #expect(cleared?["passion"] as? String == "love_it")

            // Moving the end reads the quote again; the labels stay.
            let moved = try await patch(client, job: job.id, annotation: firstID, ["end": design.end + ", APIs".utf16.count]).object()["annotation"] as? [String: Any]
            #expect(moved?["quote"] as? String == "Design and scale backend systems, APIs")
            #expect(moved?["passion"] as? String == "love_it")

            // A delete answers with the coverage without it.
            let deleted = try await delete(client, job: job.id, annotation: secondID)
            #expect(deleted.status == .ok)
            let afterDelete = try deleted.object()
            #expect(afterDelete["deleted"] as? Int == secondID)
            #expect(typeCoverage(afterDelete, "responsibilities")?["annotations"] as? Int == 1)
            #expect(sectionCount(afterDelete, duties) == 1)
            #expect(try await get(client, "/api/jobs/\(job.id)/annotations/\(secondID)").status == .notFound)
            #expect(try await delete(client, job: job.id, annotation: secondID).status == .notFound)
            let remaining = try await get(client, "/api/jobs/\(job.id)/annotations").object()["items"] as? [[String: Any]]
            #expect(Set(remaining?.compactMap { $0["id"] as? Int } ?? []) == [firstID, thirdID])
        }
    }

    @Test("Coverage counts past the target but its fraction stops at 1")
    func coverageIsCapped() async throws {
        try await withGateway { client, context in
            let job = try await Self.structuredJob(context)
            let duties = try job.index(of: .responsibilities)
            for _ in 0..<6 {
                _ = try await create(client, job: job.id, ["section_index": duties, "start": 0, "end": 4, "relevance": "relevant"])
            }
            let listed = try await get(client, "/api/jobs/\(job.id)/annotations").object()
            let duty = try #require(typeCoverage(listed, "responsibilities"))
            #expect(duty["annotations"] as? Int == 6)
            #expect(duty["fraction"] as? Double == 1)
            #expect(sectionCount(listed, duties) == 6)
        }
    }

    // MARK: - Errors

    @Test("Every invalid annotation is a 400 that says what is wrong, and nothing is stored")
    func invalidAnnotationsAreRejected() async throws {
        try await withGateway { client, context in
            let job = try await Self.structuredJob(context)
            let duties = try job.index(of: .responsibilities)
            let length = job.text(ofSection: duties).utf16.count
            let span: [String: Any] = ["section_index": duties, "start": 0, "end": 4]
            func with(_ extra: [String: Any], _ base: [String: Any] = span) -> [String: Any] {
                base.merging(extra) { _, new in new }
            }
            let cases: [(body: [String: Any], message: String)] = [
                (with(["relevance": "relevant"], ["start": 0, "end": 4]), "section_index"),
                (with(["relevance": "relevant", "section_index": job.structure.sections.count]), "section_index must be between 0 and"),
                (with(["relevance": "relevant", "section_index": -1]), "section_index must be between 0 and"),
                (with(["relevance": "relevant", "start": 4, "end": 4]), "0 ≤ start < end ≤ \(length)"),
                (with(["relevance": "relevant", "start": -1]), "0 ≤ start < end"),
                (with(["relevance": "relevant", "end": length + 1]), "0 ≤ start < end"),
                (with(["relevance": "relevant", "quote": "something else"]), "quote does not match"),
                (with(["relevance": "very"]), "relevance must be one of core_strength, extremely_relevant, relevant, tangential, gap"),
                (with(["requirement_type": "required"]), "requirement_type must be one of must_have, nice_to_have, disqualifier, neutral"),
                (with(["passion": "meh"]), "passion must be one of love_it, enjoy, neutral, tolerate, avoid"),
                (with(["identity": "me"]), "identity must be one of core_identity, strong_identity, developing, peripheral, not_identity"),
                (span, "at least one of relevance"),
                (with(["note": "   "]), "at least one of relevance"),
                (with(["note": String(repeating: "n", count: 2_001)]), "note is limited to 2000 characters"),
                (with(["relevance": 3]), "invalid JSON body"),
            ]
            for (body, message) in cases {
                let response = try await post(client, job: job.id, body)
                let error = try response.object()["error"] as? [String: Any]
                #expect(response.status == .badRequest, "\(body)")
                #expect((error?["message"] as? String)?.contains(message) == true, "\(body): \(error?["message"] ?? "")")
            }
            // A note of exactly 2,000 characters is fine.
            _ = try await create(client, job: job.id, with(["note": String(repeating: "n", count: 2_000)]))
            let empty = try await client.execute(uri: "/api/jobs/\(job.id)/annotations", method: .post, headers: .authorizedJSON)
            #expect(empty.status == .badRequest)
            #expect(try await post(client, job: 0, with(["relevance": "relevant"])).status == .badRequest)

            let annotation = try await create(client, job: job.id, with(["relevance": "relevant"]))
            let id = try #require(annotation["id"] as? Int)
            let patches: [(body: [String: Any], message: String)] = [
                ([:], "nothing to change"),
                (["passion": "sometimes"], "passion must be one of"),
                (["relevance": NSNull()], "at least one of relevance"),
                (["end": length + 1], "0 ≤ start < end"),
                (["start": 4], "0 ≤ start < end"),
                (["quote": "not the text"], "quote does not match"),
                (["note": String(repeating: "n", count: 2_001)], "note is limited"),
            ]
            for (body, message) in patches {
                let response = try await patch(client, job: job.id, annotation: id, body)
                let error = try response.object()["error"] as? [String: Any]
                #expect(response.status == .badRequest, "\(body)")
                #expect((error?["message"] as? String)?.contains(message) == true, "\(body): \(error?["message"] ?? "")")
            }
            #expect(try await patch(client, job: job.id, annotation: 0, ["passion": "enjoy"]).status == .badRequest)
            #expect(try await client.execute(uri: "/api/jobs/\(job.id)/annotations/abc", method: .get).status == .badRequest)

            // Nothing above was stored or changed.
            let stored = try await get(client, "/api/jobs/\(job.id)/annotations").object()["items"] as? [[String: Any]]
            #expect(stored?.count == 2)
            let unchanged = try await get(client, "/api/jobs/\(job.id)/annotations/\(id)").object()
            #expect(unchanged["relevance"] as? String == "relevant" && unchanged["end"] as? Int == 4 && unchanged["passion"] is NSNull)
        }
    }

    @Test("A missing job, or an annotation of another job, is a 404")
    func missingIsNotFound() async throws {
        try await withGateway { client, context in
            let job = try await Self.structuredJob(context)
            let duties = try job.index(of: .responsibilities)
            let other = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            let annotation = try await create(client, job: job.id, ["section_index": duties, "start": 0, "end": 4, "relevance": "relevant"])
            let id = try #require(annotation["id"] as? Int)

            for response in [
                try await get(client, "/api/jobs/999999/annotations"),
                try await post(client, job: 999_999, ["section_index": 0, "start": 0, "end": 1, "relevance": "relevant"]),
                try await get(client, "/api/jobs/999999/annotations/\(id)"),
                try await patch(client, job: 999_999, annotation: id, ["passion": "enjoy"]),
                try await delete(client, job: 999_999, annotation: id),
            ] {
                #expect(response.status == .notFound)
                #expect(try response.object()["error"].flatMap { ($0 as? [String: Any])?["message"] as? String } == "no job with id 999999")
            }
            for response in [
                try await get(client, "/api/jobs/\(other)/annotations/\(id)"),
                try await patch(client, job: other, annotation: id, ["passion": "enjoy"]),
                try await delete(client, job: other, annotation: id),
                try await patch(client, job: job.id, annotation: id + 1000, ["passion": "enjoy"]),
            ] {
                #expect(response.status == .notFound)
                #expect(response.errorCode == "not_found")
            }
            let untouched = try await get(client, "/api/jobs/\(job.id)/annotations/\(id)").object()
            #expect(untouched["passion"] is NSNull)
        }
    }

    @Test("A job extraction has not structured yet cannot be annotated: 409")
    func unstructuredJobIsAConflict() async throws {
        try await withGateway { client, context in
            let id = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            let response = try await post(client, job: id, ["section_index": 0, "start": 0, "end": 1, "relevance": "relevant"])
            #expect(response.status == .conflict)
            #expect(response.errorCode == "conflict")
            let message = try response.object()["error"].flatMap { ($0 as? [String: Any])?["message"] as? String }
            #expect(message?.contains("extraction has not run") == true)

            let listed = try await get(client, "/api/jobs/\(id)/annotations")
            #expect(listed.status == .ok)
            let object = try listed.object()
            #expect(object["structured"] as? Bool == false)
            #expect((object["items"] as? [Any])?.isEmpty == true)
            #expect(((object["coverage"] as? [String: Any])?["by_type"] as? [Any])?.isEmpty == true)
            #expect((object["coverage"] as? [String: Any])?["overall"] is NSNull)
        }
    }

    @Test("Writes without the token are 401 and change nothing")
    func writesNeedTheToken() async throws {
        try await withGateway { client, context in
            let job = try await Self.structuredJob(context)
            let duties = try job.index(of: .responsibilities)
            let body: [String: Any] = ["section_index": duties, "start": 0, "end": 4, "relevance": "relevant"]
            let annotation = try await create(client, job: job.id, body)
            let id = try #require(annotation["id"] as? Int)
            let anonymous: HTTPFields = [.contentType: "application/json"]
            let wrong: HTTPFields = [.authorization: "Bearer not-the-token", .contentType: "application/json"]
            for headers in [anonymous, wrong] {
                #expect(try await post(client, job: job.id, body, headers: headers).status == .unauthorized)
                #expect(try await patch(client, job: job.id, annotation: id, ["relevance": "gap"], headers: headers).status == .unauthorized)
                #expect(try await delete(client, job: job.id, annotation: id, headers: headers).status == .unauthorized)
            }
            let listed = try await get(client, "/api/jobs/\(job.id)/annotations").object()
            let items = try #require(listed["items"] as? [[String: Any]])
            #expect(items.count == 1 && items.first?["relevance"] as? String == "relevant")
        }
    }

    @Test("Deleting a job deletes its annotations")
    func annotationsGoWithTheirJob() async throws {
        try await withGateway { client, context in
            let job = try await Self.structuredJob(context)
            let duties = try job.index(of: .responsibilities)
            for relevance in ["relevant", "gap"] {
                _ = try await create(client, job: job.id, ["section_index": duties, "start": 0, "end": 4, "relevance": relevance])
            }
            let count = "SELECT count(*) AS annotations FROM job_annotations WHERE job_id = $1"
            #expect(try await context.database.query(count, [job.id]).first?.decode("annotations", as: Int.self) == 2)
            try await context.database.query("DELETE FROM jobs WHERE id = $1", [job.id])
            #expect(try await context.database.query(count, [job.id]).first?.decode("annotations", as: Int.self) == 0)
            #expect(try await get(client, "/api/jobs/\(job.id)/annotations").status == .notFound)
        }
    }
}

/// Coverage and emphasis rules as pure logic.
@Suite("Annotation rules") struct AnnotationRuleTests {
    @Test func coverageHasTargetsForFourTypesAndCountsTheRest() {
        let coverage = AnnotationCoverage(sections: [
            .init(sectionIndex: 0, sectionType: "about_company", title: nil, annotations: 1),
            .init(sectionIndex: 1, sectionType: "qualifications", title: "Who you are", annotations: 7),
            .init(sectionIndex: 2, sectionType: "responsibilities", title: "What you'll do", annotations: 2),
            .init(sectionIndex: 3, sectionType: "responsibilities", title: "Also", annotations: 1),
            .init(sectionIndex: 4, sectionType: "benefits", title: "Perks", annotations: 0),
        ])
        #expect(coverage.byType.map(\.sectionType) == ["responsibilities", "qualifications", "about_company", "benefits"])
        let duties = coverage.byType[0]
        #expect(duties.sections == 2 && duties.annotations == 3 && duties.target == 5 && duties.fraction == 0.6)
        #expect(coverage.byType[1].annotations == 7 && coverage.byType[1].fraction == 1)
        #expect(coverage.byType[2].target == nil && coverage.byType[2].fraction == nil && coverage.byType[2].annotations == 1)
        // Qualifications count 5 of their 5 at most: (3 + 5) / (5 + 5).
        #expect(coverage.overall == 0.8)
        #expect(coverage.bySection.map(\.annotations) == [1, 7, 2, 1, 0])
        #expect(AnnotationCoverage(sections: [.init(sectionIndex: 0, sectionType: "other", title: nil, annotations: 2)]).overall == nil)
    }

    @Test(arguments: [
        (AnnotationLabels(relevance: .coreStrength), true),
        (AnnotationLabels(relevance: .extremelyRelevant), true),
        (AnnotationLabels(relevance: .relevant), true),
        (AnnotationLabels(requirementType: .mustHave), true),
        (AnnotationLabels(relevance: .tangential, requirementType: .mustHave), true),
        (AnnotationLabels(relevance: .tangential), false),
        (AnnotationLabels(relevance: .gap, requirementType: .mustHave), false),
        (AnnotationLabels(relevance: .coreStrength, requirementType: .disqualifier), false),
        (AnnotationLabels(requirementType: .niceToHave, passion: .loveIt, identity: .coreIdentity), false),
        (AnnotationLabels(note: "ask about on-call"), false),
    ])
    func emphasisComesFromRelevantAndRequiredSpans(labels: AnnotationLabels, stressed: Bool) {
        #expect(labels.marksEmphasis == stressed)
    }
}
