extension Substring {
    /// The substring without leading and trailing ASCII spaces (lines never hold other whitespace).
    func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result.removeFirst() }
        while result.last == " " { result.removeLast() }
        return result
    }
}
