import Testing
import TextAnalysis

@Suite struct HTMLTextTests {
    // MARK: - Entities

    @Test(arguments: [
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("a &lt; b &gt; c", "a < b > c"),
        ("&quot;quoted&quot; &#39;single&#39; &apos;apos&apos;", "\"quoted\" 'single' 'apos'"),
        ("em&mdash;dash en&ndash;dash", "em—dash en–dash"),
        ("&lsquo;it&rsquo;s&rsquo; &ldquo;so&rdquo;", "‘it’s’ “so”"),
        ("wait&hellip; &bull; dot&middot;dot", "wait… • dot·dot"),
        ("Acme&trade; &copy; 2025 &reg;", "Acme™ © 2025 ®"),
        ("caf&eacute; na&iuml;ve &Uuml;ber", "café naïve Über"),
        ("&#8364;100 &#x20AC;200 &#X20ac;300", "€100 €200 €300"),
        ("Word&#146;s apostrophe", "Word’s apostrophe"),
        ("bad &#0; and &#x110000; refs", "bad \u{FFFD} and \u{FFFD} refs"),
        ("AT&T and R&D stay", "AT&T and R&D stay"),
        ("&unknownentity; stays", "&unknownentity; stays"),
        ("fish &amp chips", "fish & chips"),
    ])
    func decodesEntities(html: String, expected: String) {
        #expect(HTMLText.plainText(from: "<p>\(html)</p>") == expected)
    }

    @Test func nonBreakingAndZeroWidthCharactersAreNormalised() {
        let html = "<p>a&nbsp;&nbsp;b\u{00A0}c\u{200B}d\u{FEFF}e soft\u{00AD}hyphen</p><p>&nbsp;</p><p>coder 👩\u{200D}💻</p>"
        #expect(HTMLText.plainText(from: html) == "a b cde softhyphen\n\ncoder 👩\u{200D}💻")
    }

    // MARK: - Invisible content

    @Test func dropsScriptsStylesAndOtherInvisibleElements() {
        let html = """
            <style>p { color: red }</style><p>Visible</p>
            <script type="text/javascript">document.write("<p>injected</p>"); if (a < b) {}</script>
            <noscript><p>Enable JS</p></noscript><template><p>row</p></template>
            <!-- a <p>commented</p> out --><p>Also visible</p><SCRIPT>alert(1)</SCRIPT >
            """
        #expect(HTMLText.plainText(from: html) == "Visible\n\nAlso visible")
    }

    // MARK: - Layout

    @Test func blockElementsBecomeLinesAndListItemsBecomeBullets() {
        let html = """
            <h2>About us</h2><p>We   build
            tools.</p><div>Line one<br>Line two</div>
            <ul><li><p>First</p></li><li>Second<ul><li>Nested</li></ul></li></ul>
            <ol><li>Step one</li><li>Step two</li></ol>
            <table><tr><td>Base</td><td>$100k</td></tr><tr><td>Equity</td><td>0.1%</td></tr></table>
            <blockquote>Quoted</blockquote><pre>let x = 1
            let y = 2</pre>
            """
        let expected = """
            About us

            We build tools.

            Line one
            Line two

            - First
            - Second
            - Nested

            1. Step one
            2. Step two

            Base $100k
            Equity 0.1%

            Quoted

            let x = 1
            let y = 2
            """
        #expect(HTMLText.plainText(from: html) == expected)
    }

    @Test func emptyParagraphsAndRepeatedBreaksCollapseToOneBlankLine() {
        let html = "<p>One</p><p></p><p> </p><p>&nbsp;</p><br><br><br><p>Two</p><div>Three<br><br>Four</div>"
        #expect(HTMLText.plainText(from: html) == "One\n\nTwo\n\nThree\n\nFour")
    }

    @Test func handWrittenBulletsBecomeListItems() {
        let html = "<p>• Ship it</p><p>· Measure it</p><p>* Repeat</p><p>—Not a bullet</p>"
        #expect(HTMLText.plainText(from: html) == "- Ship it\n\n- Measure it\n\n- Repeat\n\n—Not a bullet")
    }

    // MARK: - Malformed input

    @Test(arguments: [
        ("<p>Unclosed paragraph<p>Next <b>bold never closed", "Unclosed paragraph\n\nNext bold never closed"),
        ("Salary < $100k and 3 <4 but x>y", "Salary < $100k and 3 <4 but x>y"),
        ("<a title=\"a > b\" href='x>y'>link</a> text", "link text"),
        ("<img alt=it's>Caption", "Caption"),
        ("<p>Text</p><!-- never closed <p>hidden</p>", "Text"),
        ("<p>Text</p><script>never closed", "Text"),
        // `</ >` and `</3…` are bogus comments in HTML5: dropped, not shown.
        ("<p>Before</p></ >After</3 and more", "Before\n\nAfter"),
        ("<p>Trailing tag <", "Trailing tag <"),
        ("<p>Half a tag <div class=\"x", "Half a tag"),
        ("</li></ul></p>Stray closers<li>item", "Stray closers\n- item"),
        ("<!DOCTYPE html><html><head><title>T</title></head><body><p>Body</p></body></html>", "Body"),
        ("<svg viewBox=\"0 0 1 1\"/><p>After icon</p>", "After icon"),
        ("", ""),
        ("   \n\t ", ""),
    ])
    func survivesMalformedHTML(html: String, expected: String) {
        #expect(HTMLText.plainText(from: html) == expected)
    }

    @Test func survivesDeepNestingAndHugeInput() {
        let nested = String(repeating: "<div><ul><li><b>", count: 2_000) + "deep" + String(repeating: "</b></li></ul></div>", count: 2_000)
        #expect(HTMLText.plainText(from: nested) == "- deep")
        let soup = String(repeating: "<p>a &amp; b <i>c</i></p><<>>&&;;", count: 5_000)
        let text = HTMLText.plainText(from: soup)
        #expect(text.hasPrefix("a & b c\n\n<<>>&&;;"))
        #expect(StructureInvariants.markupRemnants(in: text).isEmpty)
    }

    // MARK: - Entity-escaped HTML (Greenhouse)

    @Test func unescapesEntityEscapedHTMLOnce() {
        let escaped = "&lt;h3&gt;&lt;strong&gt;What you&amp;rsquo;ll do&amp;nbsp;&lt;/strong&gt;&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;Build &amp;amp; ship&lt;/li&gt;&lt;/ul&gt;"
        #expect(HTMLText.plainText(from: escaped) == "What you’ll do\n\n- Build & ship")
    }

    @Test func doesNotUnescapeOrdinaryHTMLThatMentionsLessThan() {
        let html = "<p>Teams of &lt;200 people, &lt;b&gt; is a tag name.</p>"
        #expect(HTMLText.plainText(from: html) == "Teams of <200 people, <b> is a tag name.")
    }
}
