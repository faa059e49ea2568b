import Foundation
import Hummingbird
import Store

/// `GET /api/jobs/{id}/annotations`: the annotations in reading order and the coverage.
struct AnnotationList: ResponseEncodable {
    var items: [JobAnnotation]
    var coverage: AnnotationCoverage
    /// False until extraction has structured the description; until then nothing can be annotated.
    var structured: Bool
}

/// An annotation just created or changed, with the job's coverage after the write.
struct AnnotationResult: ResponseEncodable {
    var annotation: JobAnnotation
    var coverage: AnnotationCoverage
}

/// The answer to a delete: which annotation went, and the job's coverage without it.
struct AnnotationDeletion: ResponseEncodable {
    var deleted: Int
    var coverage: AnnotationCoverage
}
