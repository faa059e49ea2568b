extension HTMLSanitizer {
    /// An element sanitized output may contain: text structure and formatting, nothing that loads,
    /// runs, submits or styles anything.
    ///
    /// A closed enum rather than a set of names so the output can only ever hold these tags: the
    /// writer spells every tag from `rawValue`, never from the input.
    enum Element: String, CaseIterable, Sendable {
        case p, br, hr, h1, h2, h3, h4, h5, h6, blockquote, pre, div
        case ul, ol, li, dl, dt, dd
        case table, thead, tbody, tr, th, td
        case strong, b, em, i, u, s, small, sub, sup, code, span, a

        /// Empty elements, written `<br>` and `<hr>` and never closed.
        var isVoid: Bool { self == .br || self == .hr }

        var isHeading: Bool {
            switch self {
            case .h1, .h2, .h3, .h4, .h5, .h6: true
            default: false
            }
        }

        /// Where a search for an open element to close stops (a table or cell): markup inside a cell
        /// cannot close an element around the table, as in browsers.
        var isScopeBoundary: Bool { self == .table || self == .td || self == .th }

        /// The table structure below `<table>`, meaningful only inside an open table.
        var isTablePart: Bool {
            switch self {
            case .thead, .tbody, .tr, .th, .td: true
            default: false
            }
        }

        /// Blocks whose start tag ends an open `<p>`, as in browsers (a paragraph cannot contain them).
        var closesParagraph: Bool {
            switch self {
            case .p, .hr, .h1, .h2, .h3, .h4, .h5, .h6, .blockquote, .pre, .div, .ul, .ol, .li, .dl, .dt, .dd, .table:
                true
            default:
                false
            }
        }

        /// Elements the HTML parser calls "special" (minus `div` and `p`): a new `<li>`, `<dt>` or
        /// `<dd>` does not look past them for a previous item to close, so a nested list's items stay
        /// inside their parent item.
        var stopsItemSearch: Bool {
            switch self {
            case .blockquote, .br, .dd, .dl, .dt, .h1, .h2, .h3, .h4, .h5, .h6, .hr, .li, .ol, .pre, .table, .tbody, .td,
                .th, .thead, .tr, .ul:
                true
            default:
                false
            }
        }

        /// Text-level elements: starting one re-opens formatting a block boundary cut short, as a
        /// browser does, so `<p><b>Perks</p><p><i>Remote</i>` keeps "Remote" bold.
        var isInline: Bool {
            switch self {
            case .strong, .b, .em, .i, .u, .s, .small, .sub, .sup, .code, .span, .a: true
            default: false
            }
        }

        /// Formatting a browser carries across a block boundary that cut it short
        /// (`<p><strong>Perks</p><p>Remote</p>` shows "Remote" in bold too), so the writer re-opens it.
        ///
        /// `a` is a formatting element in HTML as well, but re-opening a link would duplicate it; the
        /// text after a cut-short link is simply not linked.
        var isReopenedFormatting: Bool {
            switch self {
            case .strong, .b, .em, .i, .u, .s, .small, .code: true
            default: false
            }
        }
    }

    /// What the sanitizer does with a tag, by name.
    enum Disposition: Equatable {
        /// Written out as this allow-listed element.
        case keep(Element)
        /// Removed together with everything up to its end tag: its content is code, styling, an
        /// embedded document or a form, and must not become visible text.
        case removeWithContent
        /// The tag goes, its content stays.
        case dropTag
    }

    /// The disposition of the element named `name` (lowercase, as ``HTMLRenderer/tagName(in:from:)``
    /// reads it).
    static func disposition(ofTag name: String) -> Disposition {
        dispositions[name] ?? .dropTag
    }

    // MARK: - Tables

    /// Every name with a disposition other than ``Disposition/dropTag``, looked up once per tag.
    private static let dispositions: [String: Disposition] = {
        var table: [String: Disposition] = [:]
        for name in removedWithContent { table[name] = .removeWithContent }
        for (name, element) in renamed { table[name] = .keep(element) }
        for element in Element.allCases { table[element.rawValue] = .keep(element) }
        return table
    }()

    /// Everything ``HTMLText`` hides, plus forms and the elements whose content browsers never show.
    ///
    /// Starting from the renderer's list keeps one promise by construction: nothing the plain text of
    /// the original leaves out can show up in the sanitized copy. Void elements (`input`, `embed`,
    /// `img`, `link`, `meta`, `frame`) are not listed: they have no content, so dropping their tag
    /// removes them, whereas looking for an `</embed>` that never comes would drop the rest of the
    /// document.
    private static let removedWithContent: Set<String> = HTMLRenderer.droppedElements.union([
        "form", "textarea", "noembed", "noframes", "frameset", "applet",
    ])

    /// Elements outside the allow-list that browsers lay out as blocks, written as their nearest
    /// allowed equivalent.
    ///
    /// Dropping `<section>` or `<article>` like any unknown tag would glue the last word of one block
    /// to the first of the next ("Benefits" + "Salary" → "BenefitsSalary"), changing the visible text;
    /// a `<div>` keeps the line break without keeping anything that could be unsafe. Likewise
    /// `<strike>` and `<del>` become `<s>`, so a struck-out salary still reads as struck out.
    private static let renamed: [String: Element] = [
        "section": .div, "article": .div, "header": .div, "footer": .div, "main": .div, "nav": .div,
        "aside": .div, "figure": .div, "figcaption": .div, "address": .div, "details": .div, "summary": .div,
        "center": .div, "fieldset": .div, "legend": .div, "hgroup": .div, "search": .div, "caption": .div,
        "tfoot": .tbody, "menu": .ul, "dir": .ul, "listing": .pre, "xmp": .pre,
        "strike": .s, "del": .s, "ins": .u,
    ]
}
