import Foundation
import Hummingbird
import Runtime
import Store

/// `/api/jobs`: the job list and each job's detail.
struct JobRoutes: Sendable {
    let context: ServiceContext
    let access: AccessControl

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("jobs", use: list)
        api.get("jobs/:id", use: detail)
    }

    struct JobPage: ResponseEncodable {
        var items: [JobSummary]
        var total: Int
        var page: Int
        var perPage: Int

        enum CodingKeys: String, CodingKey {
            case items, total, page
            case perPage = "per_page"
        }
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> JobPage {
        let page = try integerQuery(request, "page", default: 1, range: 1...1_000_000)
        let perPage = try integerQuery(request, "per_page", default: 50, range: 1...500)
        let (items, total) = try await self.context.store.jobs(page: page, perPage: perPage)
        return JobPage(items: items, total: total, page: page, perPage: perPage)
    }

    @Sendable func detail(_ request: Request, context: ServiceRequestContext) async throws -> JobDetail {
        let id = try positiveInteger("id", in: context)
        guard let detail = try await self.context.store.jobDetail(id: id) else { throw APIError.notFound("no job with id \(id)") }
        return detail
    }
}

extension JobDetail: ResponseEncodable {}
