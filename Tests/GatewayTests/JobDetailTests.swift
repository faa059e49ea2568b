import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Job detail") struct JobDetailTests {
    @Test func aStoredJobIsServedAndAMissingOneIsA404() async throws {
        try await withGateway { client, context in
            let ids = try await seedAshbyJobs(context, companies: ["Coder"])
            let first = try #require(ids.first)
            try await client.execute(uri: "/api/jobs/\(first)", method: .get) { response in
                #expect(response.status == .ok)
                let job = try response.object()["job"] as? [String: Any]
                #expect(job?["company"] as? String == "Coder")
            }
            try await client.execute(uri: "/api/jobs/999999", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "not_found")
            }
            try await client.execute(uri: "/api/jobs/abc", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
