import Foundation
import Glibc

/// A Server-Sent Events connection over a plain socket, read as it arrives: the test needs to see
/// events before the stream ends, and to drop the connection at a moment of its choosing.
final class EventStreamReader {
    struct Event: Equatable {
        var id: String?
        var name: String
        var data: String
    }

    private let fd: Int32
    private var buffer = ""

    /// Connects and sends `GET path` with `headers`.
    init(port: Int, path: String, headers: [String: String] = [:]) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    /// Drops the connection, as a browser tab losing its network does.
    func drop() { close(fd) }

    /// Reads events until `stop` says so or `timeout` passes; returns every event read.
    func read(timeout: Duration, until stop: ([Event]) -> Bool) -> [Event] {
        var events: [Event] = []
        let deadline = ContinuousClock.now + timeout
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while ContinuousClock.now < deadline, !stop(events) {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) > 0 else { continue }
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { break }
            // Without carriage returns: Swift reads "\r\n" as one character, which would hide the
            // line breaks of the chunked framing from the parser.
            buffer += String(decoding: chunk[0..<count].filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
            events += takeEvents()
        }
        return events
    }

    /// Parses the complete events in the buffer (the chunk-size lines of the chunked framing are
    /// skipped: they never start with a field name).
    private func takeEvents() -> [Event] {
        var events: [Event] = []
        while let end = buffer.range(of: "\n\n") {
            let block = buffer[..<end.lowerBound]
            buffer = String(buffer[end.upperBound...])
            var event = Event(id: nil, name: "message", data: "")
            var hasData = false
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event.name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") {
                    event.data = String(line.dropFirst(6))
                    hasData = true
                }
            }
            if hasData { events.append(event) }
        }
        return events
    }
}
