import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What every endpoint shares: one JSON error shape, 405 with `Allow`, and a body size limit.
@Suite("API conduct") struct APIConductTests {
    @Test func unknownPathsAndWrongMethodsAnswerInTheErrorShape() async throws {
        try await withGateway { client, _ in
            try await client.execute(uri: "/api/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(response.errorCode == "not_found")
            }
            try await client.execute(uri: "/api/status", method: .delete, headers: .authorizedJSON) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
                #expect(response.errorCode == "method_not_allowed")
            }
            try await client.execute(uri: "/api/operations/\(UUID())/cancel", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST", "\(String(buffer: response.body))")
            }
        }
    }

    @Test func aBodyOverOneMebibyteIsRefusedWith413() async throws {
        try await withGateway { client, _ in
            let huge = ByteBuffer(string: "{\"operation\": \"all-ops\", \"job_ids\": [1], \"pad\": \"" + String(repeating: "x", count: 1_100_000) + "\"}")
            try await client.execute(uri: "/api/operations/batch", method: .post, headers: .authorizedJSON, body: huge) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.errorCode != nil)
            }
        }
    }
}
