import Foundation
import Hummingbird
import Runtime
import Store

/// `/api/jobs/{id}/annotations`: the spans of a job's description the user marked, and how much of
/// each kind of section they cover.
///
/// Every write answers with the job's new coverage, so a UI can update its section indicators without
/// another request. Annotations may overlap; each is created, changed and deleted on its own, never by
/// replacing the job's whole set.
struct AnnotationRoutes: Sendable {
    let store: JobStore
    let access: AccessControl

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("jobs/:id/annotations", use: list)
        api.post("jobs/:id/annotations", use: create)
        api.get("jobs/:id/annotations/:annotation_id", use: show)
        api.patch("jobs/:id/annotations/:annotation_id", use: update)
        api.delete("jobs/:id/annotations/:annotation_id", use: delete)
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> AnnotationList {
        let jobID = try positiveInteger("id", in: context)
        guard let description = try await store.annotatableDescription(jobID: jobID) else { throw APIError.notFound("no job with id \(jobID)") }
        return AnnotationList(
            items: try await store.annotations(jobID: jobID),
            coverage: try await store.annotationCoverage(jobID: jobID),
            structured: description.isStructured
        )
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> JobAnnotation {
        let (jobID, annotationID) = try identifiers(context)
        guard let annotation = try await store.annotation(id: annotationID, jobID: jobID) else {
            throw try await missing(jobID: jobID, annotationID: annotationID)
        }
        return annotation
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<AnnotationResult> {
        try await access.authorizeWrite(request, context: context)
        let jobID = try positiveInteger("id", in: context)
        let draft = try await decode(AnnotationDraft.self, from: request, context: context)
        let labels = try draft.labels()
        let description = try await structuredDescription(jobID: jobID)
        let span = try AnnotationSpanCheck.span(
            sectionIndex: draft.sectionIndex, start: draft.start, end: draft.end, quote: draft.quote, in: description
        )
        let annotation = try await store.createAnnotation(jobID: jobID, span: span, labels: labels)
        return EditedResponse(
            status: .created,
            response: AnnotationResult(annotation: annotation, coverage: try await store.annotationCoverage(jobID: jobID))
        )
    }

    /// Changes only the fields the body has; `null` clears a label.
    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> AnnotationResult {
        try await access.authorizeWrite(request, context: context)
        let (jobID, annotationID) = try identifiers(context)
        let patch = try await decode(AnnotationPatch.self, from: request, context: context)
        var changes = try patch.changes()
        guard let current = try await store.annotation(id: annotationID, jobID: jobID) else {
            throw try await missing(jobID: jobID, annotationID: annotationID)
        }
        if patch.movesSpan {
            changes.span = try AnnotationSpanCheck.span(
                sectionIndex: patch.sectionIndex ?? current.span.sectionIndex,
                start: patch.start ?? current.span.start,
                end: patch.end ?? current.span.end,
                quote: patch.quote,
                in: try await structuredDescription(jobID: jobID)
            )
        }
        if changes.applied(to: current.labels).isEmpty { throw AnnotationDraft.noLabels }
        guard let updated = try await store.updateAnnotation(id: annotationID, jobID: jobID, changes) else {
            throw try await missing(jobID: jobID, annotationID: annotationID)
        }
        return AnnotationResult(annotation: updated, coverage: try await store.annotationCoverage(jobID: jobID))
    }

    @Sendable func delete(_ request: Request, context: ServiceRequestContext) async throws -> AnnotationDeletion {
        try await access.authorizeWrite(request, context: context)
        let (jobID, annotationID) = try identifiers(context)
        guard try await store.deleteAnnotation(id: annotationID, jobID: jobID) else {
            throw try await missing(jobID: jobID, annotationID: annotationID)
        }
        return AnnotationDeletion(deleted: annotationID, coverage: try await store.annotationCoverage(jobID: jobID))
    }

    // MARK: - Helpers

    private func identifiers(_ context: ServiceRequestContext) throws -> (job: Int, annotation: Int) {
        (try positiveInteger("id", in: context), try positiveInteger("annotation_id", in: context, label: "annotation id"))
    }

    /// The job's sections, which every span is checked against.
    ///
    /// - Throws: 404 without the job, 409 while extraction has not structured its description.
    private func structuredDescription(jobID: Int) async throws -> JobStore.AnnotatableDescription {
        guard let description = try await store.annotatableDescription(jobID: jobID) else { throw APIError.notFound("no job with id \(jobID)") }
        guard description.isStructured else {
            throw APIError.conflict("job \(jobID) cannot be annotated yet: extraction has not run, so its description has no sections; run structure-jd or full-extraction first")
        }
        return description
    }

    /// The 404 for an annotation that is not there, saying whether the job itself is missing.
    private func missing(jobID: Int, annotationID: Int) async throws -> APIError {
        guard try await store.annotatableDescription(jobID: jobID) != nil else { return APIError.notFound("no job with id \(jobID)") }
        return APIError.notFound("job \(jobID) has no annotation with id \(annotationID)")
    }
}

extension JobAnnotation: ResponseEncodable {}
