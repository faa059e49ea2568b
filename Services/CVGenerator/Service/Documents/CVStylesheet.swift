/// The one stylesheet of a rendered CV, for the screen preview and the A4 PDF alike.
///
/// It is inlined into every page by ``MarkdownHTMLRenderer/document(markdown:title:language:)`` so
/// the page needs no network: fonts are system stacks only (a serif for the body, a sans-serif for
/// headings), which Chromium resolves to what the machine has (DejaVu or Liberation on Debian).
/// Print rules keep a heading with what follows it and a bullet on one page, since a split
/// achievement is what makes a printed CV look careless.
public enum CVStylesheet {
    /// The CSS, without a `<style>` wrapper.
    public static let css = """
        :root {
          --text: #1d1d1f;
          --muted: #55575d;
          --rule: #c9ccd1;
          --accent: #1f4e79;
          --serif: Charter, "Bitstream Charter", "Sitka Text", Cambria, "Noto Serif", "DejaVu Serif", "Liberation Serif", Georgia, serif;
          --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
          --mono: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body {
          margin: 0;
          color: var(--text);
          background: #fff;
          font-family: var(--serif);
          font-size: 11pt;
          line-height: 1.45;
          font-kerning: normal;
          hyphens: manual;
          overflow-wrap: break-word;
        }
        .cv { max-width: 46rem; margin: 0 auto; padding: 2.5rem 1.5rem 3rem; }
        h1, h2, h3 { font-family: var(--sans); line-height: 1.2; margin: 0; break-after: avoid; page-break-after: avoid; }
        h1 { font-size: 1.9em; font-weight: 700; letter-spacing: -0.01em; margin-bottom: 0.25em; }
        h1 + p { font-size: 1.05em; margin-top: 0; }
        h1 + p + p { color: var(--muted); font-size: 0.92em; }
        h2 {
          font-size: 0.95em;
          font-weight: 700;
          text-transform: uppercase;
          letter-spacing: 0.08em;
          color: var(--accent);
          border-bottom: 1px solid var(--rule);
          padding-bottom: 0.2em;
          margin: 1.4em 0 0.6em;
        }
        h3 { font-size: 1em; font-weight: 600; margin: 1em 0 0.15em; }
        h3 + p { color: var(--muted); margin-top: 0; font-size: 0.95em; }
        p { margin: 0 0 0.6em; }
        ul, ol { margin: 0 0 0.7em; padding-left: 1.25em; }
        li { margin: 0 0 0.25em; padding-left: 0.15em; break-inside: avoid; page-break-inside: avoid; }
        li::marker { color: var(--muted); }
        strong { font-weight: 700; }
        em { font-style: italic; }
        code { font-family: var(--mono); font-size: 0.88em; background: #f2f3f5; border-radius: 3px; padding: 0.05em 0.3em; }
        a { color: var(--accent); text-decoration: underline; text-decoration-thickness: 1px; text-underline-offset: 2px; }
        @media screen and (max-width: 36rem) {
          body { font-size: 10.5pt; }
          .cv { padding: 1.25rem 1rem 2rem; }
        }
        @media screen and (prefers-color-scheme: dark) {
          :root { --text: #e6e6e6; --muted: #a8abb2; --rule: #44474d; --accent: #8cb8e6; }
          body { background: #16171a; }
          code { background: #26282c; }
        }
        @page { size: A4; margin: 16mm 17mm 18mm; }
        @media print {
          body { font-size: 10.5pt; line-height: 1.38; background: #fff; color: #000; }
          .cv { max-width: none; margin: 0; padding: 0; }
          h2 { margin-top: 1.1em; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          h3 + p { break-after: avoid; page-break-after: avoid; }
          p, li { orphans: 3; widows: 3; }
          a { color: inherit; text-decoration: none; }
          a[href^="http"]::after { content: " (" attr(href) ")"; color: var(--muted); font-size: 0.9em; }
          code { background: none; padding: 0; }
        }
        """
}
