import CVGeneratorService
import Domain
import Foundation
import JobsmithTesting
import Testing

/// The Markdown subset a CV uses, the escaping that keeps user edits inert, and a real tailored CV.
@Suite struct MarkdownHTMLRendererTests {
    /// One construct and the exact fragment it must become.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var markdown: String
        var html: String
        var testDescription: String { name }
    }

    static let constructs: [Case] = [
        Case(name: "h1", markdown: "# Maren Okafor-Lind", html: "<h1>Maren Okafor-Lind</h1>"),
        Case(name: "h2", markdown: "## Experience", html: "<h2>Experience</h2>"),
        Case(name: "h3", markdown: "### Staff Engineer — Acme", html: "<h3>Staff Engineer — Acme</h3>"),
        Case(name: "h4 shown as h3", markdown: "#### Deep", html: "<h3>Deep</h3>"),
        Case(name: "closing hashes dropped", markdown: "## Skills ##", html: "<h2>Skills</h2>"),
        Case(name: "escaped closing hash kept", markdown: "## Languages: C \\#", html: "<h2>Languages: C #</h2>"),
        Case(name: "C# kept", markdown: "### C#", html: "<h3>C#</h3>"),
        Case(name: "hash without space is text", markdown: "#hashtag", html: "<p>#hashtag</p>"),
        Case(name: "paragraph lines", markdown: "one\ntwo", html: "<p>one\ntwo</p>"),
        Case(name: "two paragraphs", markdown: "one\n\ntwo", html: "<p>one</p>\n<p>two</p>"),
        Case(name: "bold", markdown: "**Staff Engineer** · lead", html: "<p><strong>Staff Engineer</strong> · lead</p>"),
        Case(name: "italic", markdown: "*Apr 2021 – Present*", html: "<p><em>Apr 2021 – Present</em></p>"),
        Case(name: "underscore emphasis", markdown: "__bold__ and _it_", html: "<p><strong>bold</strong> and <em>it</em></p>"),
        Case(name: "underscore inside words", markdown: "snake_case_name", html: "<p>snake_case_name</p>"),
        Case(name: "bold italic", markdown: "***both***", html: "<p><em><strong>both</strong></em></p>"),
        Case(name: "italic inside bold", markdown: "**a *b* c**", html: "<p><strong>a <em>b</em> c</strong></p>"),
        Case(name: "unmatched star", markdown: "5 * 3 and *open", html: "<p>5 * 3 and *open</p>"),
        Case(name: "inline code", markdown: "run `make <all>` now", html: "<p>run <code>make &lt;all&gt;</code> now</p>"),
        Case(name: "code keeps stars", markdown: "`**x**`", html: "<p><code>**x**</code></p>"),
        Case(name: "unclosed backtick", markdown: "a ` b", html: "<p>a ` b</p>"),
        Case(
            name: "link",
            markdown: "[Website](https://maren.example.com/a%20b?x=1&y=2)",
            html: "<p><a href=\"https://maren.example.com/a%20b?x=1&amp;y=2\">Website</a></p>"
        ),
        Case(name: "mailto link", markdown: "[Mail](mailto:m@example.com)", html: "<p><a href=\"mailto:m@example.com\">Mail</a></p>"),
        Case(name: "bold link label", markdown: "[**Code**](http://git.example.com)", html: "<p><a href=\"http://git.example.com\"><strong>Code</strong></a></p>"),
        Case(name: "brackets without link", markdown: "[draft] (v2)", html: "<p>[draft] (v2)</p>"),
        Case(name: "bullets", markdown: "- one\n- two", html: "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        Case(name: "star and plus bullets", markdown: "* one\n+ two", html: "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        Case(name: "item continuation", markdown: "- one\n  more\n- two", html: "<ul>\n<li>one\nmore</li>\n<li>two</li>\n</ul>"),
        Case(name: "list across blank line", markdown: "- one\n\n- two", html: "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        Case(name: "ordered", markdown: "1. first\n2. second", html: "<ol>\n<li>first</li>\n<li>second</li>\n</ol>"),
        Case(name: "ordered start", markdown: "3) third\n4) fourth", html: "<ol start=\"3\">\n<li>third</li>\n<li>fourth</li>\n</ol>"),
        Case(name: "bullets then ordered", markdown: "- a\n1. b", html: "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>"),
        Case(name: "list after paragraph", markdown: "Intro\n- a", html: "<p>Intro</p>\n<ul>\n<li>a</li>\n</ul>"),
        Case(name: "year in paragraph is not a list", markdown: "Joined in\n2021. Then", html: "<p>Joined in\n2021. Then</p>"),
        Case(name: "skills line", markdown: "- **Languages:** Go, C\\+\\+", html: "<ul>\n<li><strong>Languages:</strong> Go, C++</li>\n</ul>"),
        Case(name: "hard break spaces", markdown: "line one  \nline two", html: "<p>line one<br>\nline two</p>"),
        Case(name: "hard break backslash", markdown: "line one\\\nline two", html: "<p>line one<br>\nline two</p>"),
        Case(name: "escaped line start", markdown: "\\# not a heading\n\n\\- not a bullet\n\n2021\\. not a list", html: "<p># not a heading</p>\n<p>- not a bullet</p>\n<p>2021. not a list</p>"),
        Case(name: "escaped inline syntax", markdown: "\\*a\\* \\_b\\_ \\[c\\] \\`d\\` \\\\ e", html: "<p>*a* _b_ [c] `d` \\ e</p>"),
        Case(name: "backslash before letter kept", markdown: "C:\\path", html: "<p>C:\\path</p>"),
        Case(name: "ampersand and quotes", markdown: "R&D \"quoted\" it's", html: "<p>R&amp;D &quot;quoted&quot; it&#39;s</p>"),
        Case(name: "entity shown as typed", markdown: "&lt;b&gt;", html: "<p>&amp;lt;b&amp;gt;</p>"),
        Case(name: "windows line endings", markdown: "# A\r\n\r\ntext", html: "<h1>A</h1>\n<p>text</p>"),
        Case(name: "empty", markdown: "", html: ""),
    ]

    @Test(arguments: constructs)
    func rendersConstruct(_ test: Case) {
        #expect(MarkdownHTMLRenderer.fragment(markdown: test.markdown) == test.html)
    }

    // MARK: Hostile input

    static let hostile: [Case] = [
        Case(name: "script tag", markdown: "<script>alert(1)</script>", html: "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        Case(name: "img onerror", markdown: "<img src=x onerror=alert(1)>", html: "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
        Case(name: "javascript link", markdown: "[click](javascript:alert(1))", html: "<p>click)</p>"),
        Case(name: "javascript link, upper case", markdown: "[click](JavaScript:alert%281%29)", html: "<p>click</p>"),
        Case(name: "data link", markdown: "[x](data:text/html;base64,PHNjcmlwdD4=)", html: "<p>x</p>"),
        Case(name: "relative link", markdown: "[x](/admin)", html: "<p>x</p>"),
        Case(name: "quote in href", markdown: "[x](https://a.example/\"onmouseover=\"alert(1))", html: "<p><a href=\"https://a.example/&quot;onmouseover=&quot;alert(1\">x</a>)</p>"),
        Case(name: "html in heading", markdown: "# <b onclick=x>Name</b>", html: "<h1>&lt;b onclick=x&gt;Name&lt;/b&gt;</h1>"),
        Case(name: "html in link label", markdown: "[<svg onload=x>](https://a.example)", html: "<p><a href=\"https://a.example\">&lt;svg onload=x&gt;</a></p>"),
        Case(name: "autolink is text", markdown: "<javascript:alert(1)>", html: "<p>&lt;javascript:alert(1)&gt;</p>"),
        Case(name: "control characters dropped", markdown: "a\u{0}b\u{7}c", html: "<p>abc</p>"),
    ]

    @Test(arguments: hostile)
    func hostileMarkdownIsInert(_ test: Case) {
        let html = MarkdownHTMLRenderer.fragment(markdown: test.markdown)
        #expect(html == test.html)
        // Whatever the exact output, no element but the renderer's own may appear.
        let tags = html.split(separator: "<").dropFirst().map { $0.prefix { $0 != ">" && $0 != " " } }
        let allowed: Set<Substring> = ["p", "/p", "h1", "/h1", "h2", "/h2", "h3", "/h3", "a", "/a", "strong", "/strong", "em", "/em", "code", "/code", "br", "ul", "/ul", "ol", "/ol", "li", "/li"]
        #expect(tags.allSatisfy(allowed.contains), "unexpected tag in \(html)")
    }

    @Test func documentIsSelfContained() {
        let html = MarkdownHTMLRenderer.document(markdown: "# Name", title: "Name <CV> & co", language: "en-GB\"><script>")
        #expect(html.hasPrefix("<!doctype html>\n<html lang=\"en-GBscript\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<title>Name &lt;CV&gt; &amp; co</title>"))
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains(CVStylesheet.css))
        #expect(html.contains("<h1>Name</h1>"))
        #expect(!html.contains("<script"))
        // No network: the stylesheet names no web font or remote resource.
        #expect(!CVStylesheet.css.contains("url("))
        #expect(!CVStylesheet.css.contains("@import"))
        #expect(CVStylesheet.css.contains("@page { size: A4"))
    }

    // MARK: A real CV

    @Test func rendersTailoredSampleCV() throws {
        let master = try MasterCV.load(from: SampleCV.masterURL)
        let cv = CVWriter.write(for: SampleCV.job, master: master)
        let html = MarkdownHTMLRenderer.fragment(markdown: cv.markdown)

        #expect(html.hasPrefix("<h1>\(master.candidate.name)</h1>\n<p><strong>\(SampleCV.job.title)</strong> · "))
        for section in ["Summary", "Key achievements", "Core competencies", "Experience", "Skills", "Education"] {
            #expect(html.contains("<h2>\(section)</h2>"), "no \(section) heading")
        }
        let firstRole = try #require(master.roles.first)
        #expect(html.contains("<h3>\(firstRole.title) — \(firstRole.company)</h3>"))
        #expect(html.contains("<ul>\n<li>"))
        #expect(html.components(separatedBy: "<li>").count - 1 >= 10)
        #expect(html.contains("<p><em>"), "role dates in italics")
        #expect(html.contains("<a href=\"https://maren.example.com\">Website</a>"))
        #expect(html.contains("<li><strong>"), "skills lines lead with a bold category")
        // Markdown syntax and escapes are all consumed.
        for leftover in ["**", "\\", "](", "\n- ", "\n#"] {
            #expect(!html.contains(leftover), "'\(leftover)' left in the HTML")
        }
    }
}

/// The sample master CV and a posting to tailor it to, shared by the document tests.
enum SampleCV {
    static let masterURL = TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json")

    static let job = JobForCV(
        title: "Staff Platform Engineer",
        company: "Acme Freight",
        descriptionText: """
            We are looking for a Staff Platform Engineer to lead our event-driven platform. You will design \
            services in Go and Kotlin on Kubernetes, run Kafka and PostgreSQL at scale, mentor engineers and \
            own observability. Experience with Terraform and AWS is a plus.
            """
    )
}
