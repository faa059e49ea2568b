/// Keeps a value for `maximumAge` after computing it, and makes callers that arrive while it is being
/// computed wait for that one computation instead of starting their own.
///
/// The status report is asked for by every open dashboard, and by load tests at thousands of requests
/// a second; building it takes several Redis and PostgreSQL round trips. With this cache a gateway
/// replica builds it at most about once per `maximumAge`, however many ask.
///
/// ```swift
/// let cache = RefreshingCache(maximumAge: .seconds(1)) { await collector.collect() }
/// let report = await cache.value()
/// ```
actor RefreshingCache<Value: Sendable> {
    private let maximumAge: Duration
    private let compute: @Sendable () async -> Value
    private var latest: (value: Value, computedAt: ContinuousClock.Instant)?
    private var refresh: Task<Value, Never>?

    init(maximumAge: Duration, compute: @escaping @Sendable () async -> Value) {
        self.maximumAge = maximumAge
        self.compute = compute
    }

    /// The cached value while it is fresh, otherwise the result of the refresh in progress or of a new one.
    func value() async -> Value {
        if let latest, ContinuousClock.now - latest.computedAt < maximumAge { return latest.value }
        if let refresh { return await refresh.value }
        // Unstructured, so that a caller going away (a client hanging up cancels its request's task)
        // does not cancel the computation the other callers are waiting for.
        let task = Task { await compute() }
        refresh = task
        let value = await task.value
        latest = (value, ContinuousClock.now)
        refresh = nil
        return value
    }
}
