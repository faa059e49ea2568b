import CVGeneratorService
import Domain
import Foundation
import JobsmithTesting
import NIOPosix
import Testing

/// PDF output through the real Chromium, read back with `pdftotext` (poppler-utils).
///
/// Not skipped when Chromium is missing: the test scripts install it, and a silently skipped PDF test
/// is how PDF output breaks unnoticed.
@Suite struct PDFRendererTests {
    @Test func rendersTheSampleCVToPDF() async throws {
        let renderer = PDFRenderer(threadPool: .singleton, timeout: .seconds(30))
        #expect(renderer.unavailableReason == nil, "install Chromium: apt-get install -y chromium")

        let master = try MasterCV.load(from: SampleCV.masterURL)
        let cv = CVWriter.write(for: SampleCV.job, master: master)
        let html = MarkdownHTMLRenderer.document(markdown: cv.markdown, title: "\(master.candidate.name) — CV")

        let pdf = try await renderer.render(html: html)
        #expect(pdf.starts(with: Array("%PDF".utf8)))

        let text = try Self.pdfText(pdf)
        // pdftotext may break lines anywhere; compare with whitespace folded.
        let folded = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(folded.contains(master.candidate.name), "name missing from: \(folded.prefix(300))")
        #expect(folded.contains(SampleCV.job.title))
        let role = try #require(master.roles.first)
        #expect(folded.contains(role.title))
        #expect(folded.contains("EXPERIENCE"), "section headings are printed in capitals")
        #expect(!folded.contains("**"))
    }

    @Test func rendersInParallel() async throws {
        let renderer = PDFRenderer(threadPool: .singleton, timeout: .seconds(30))
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 1...2 {
                group.addTask {
                    let pdf = try await renderer.render(html: MarkdownHTMLRenderer.document(markdown: "# Copy \(index)", title: "t"))
                    return try Self.pdfText(pdf)
                }
            }
            var texts: [String] = []
            for try await text in group { texts.append(text) }
            #expect(Set(texts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }) == ["Copy 1", "Copy 2"])
        }
    }

    @Test func missingChromiumIsReportedClearly() async throws {
        let renderer = PDFRenderer(chromiumPath: "/nonexistent/chromium", threadPool: .singleton)
        let reason = try #require(renderer.unavailableReason)
        #expect(reason.contains("Chromium is not installed"))
        #expect(reason.contains("apt-get install chromium"))
        #expect(renderer.executable == nil)

        let error = await #expect(throws: PDFRenderError.self) {
            try await renderer.render(html: "<p>x</p>")
        }
        #expect(error?.code == .chromiumMissing)
        #expect(error?.description == reason)
    }

    @Test func failingChromiumReportsItsExitStatus() async throws {
        // `/bin/false` stands in for a Chromium that starts and fails.
        let renderer = PDFRenderer(chromiumPath: "/bin/false", threadPool: .singleton)
        let error = await #expect(throws: PDFRenderError.self) {
            try await renderer.render(html: "<p>x</p>")
        }
        #expect(error?.code == .exitStatus)
        #expect(error?.message.contains("exit status 1") == true)
    }

    @Test func hangingChromiumIsStoppedAtTheTimeout() async throws {
        // A script that ignores its arguments and sleeps, standing in for a hung Chromium.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("hung"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("chromium")
        try "#!/bin/sh\nexec sleep 30\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)

        let renderer = PDFRenderer(chromiumPath: script.path, threadPool: .singleton, timeout: .milliseconds(300))
        let started = ContinuousClock.now
        let error = await #expect(throws: PDFRenderError.self) {
            try await renderer.render(html: "<p>x</p>")
        }
        #expect(error?.code == .timeout)
        // Well short of the 30 s the script sleeps: the timeout, not the script, ended it.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    /// The text of a PDF as `pdftotext` reads it.
    static func pdfText(_ pdf: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("pdftext"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cv.pdf")
        try Data(pdf).write(to: file)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pdftotext", "-enc", "UTF-8", file.path, "-"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "pdftotext failed (apt-get install -y poppler-utils)")
        return String(decoding: data, as: UTF8.self)
    }
}
