/// Decodes HTML character references (`&amp;`, `&#233;`, `&#x2019;`).
///
/// Works on UTF-8 bytes because the renderer scans job-board HTML byte by byte; decoding into
/// `Unicode.Scalar`s keeps every reference to exactly one code point, which all the names below are.
enum HTMLEntities {
    /// Decodes every character reference in `string` once, leaving everything else untouched.
    ///
    /// Used to undo Greenhouse's entity-escaping of a whole description before it is parsed, so the
    /// references that were escaped twice (`&amp;nbsp;`) survive as single references for the
    /// renderer to decode in the second pass.
    static func decode(_ string: String) -> String {
        Array(string.utf8).withUnsafeBufferPointer(decode)
    }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "&"), let reference = reference(in: bytes, at: index, limit: bytes.count) {
                UTF8.encode(reference.scalar) { output.append($0) }
                index = reference.end
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The reference starting at `bytes[start]` (an `&`), or `nil` when the text there is a literal
    /// ampersand.
    ///
    /// Follows HTML5 where it matters for real postings: numeric references need no `;`, invalid code
    /// points become U+FFFD, and 0x80–0x9F are read as Windows-1252 (editors pasting from Word emit
    /// `&#146;` for an apostrophe). Named references need their `;` except the few legacy names browsers
    /// still accept bare, so "AT&T" and "R&D" stay as written.
    ///
    /// - Returns: The decoded scalar and the index just past the reference.
    static func reference(in bytes: UnsafeBufferPointer<UInt8>, at start: Int, limit: Int) -> (scalar: Unicode.Scalar, end: Int)? {
        var index = start + 1
        guard index < limit else { return nil }
        if bytes[index] == UInt8(ascii: "#") {
            index += 1
            var radix: UInt32 = 10
            if index < limit, bytes[index] | 0x20 == UInt8(ascii: "x") {
                radix = 16
                index += 1
            }
            var value: UInt32 = 0
            var digits = 0
            while index < limit, let digit = digitValue(bytes[index], radix: radix) {
                // Saturate instead of overflowing: anything this large is invalid anyway.
                value = min(value * radix + digit, 0x11_0000)
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if index < limit, bytes[index] == UInt8(ascii: ";") { index += 1 }
            return (numericScalar(value), index)
        }
        let nameStart = index
        while index < limit, index - nameStart < 32, isASCIIAlphanumeric(bytes[index]) { index += 1 }
        guard index > nameStart else { return nil }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        if index < limit, bytes[index] == UInt8(ascii: ";") {
            guard let value = named[name], let scalar = Unicode.Scalar(value) else { return nil }
            return (scalar, index + 1)
        }
        guard legacyWithoutSemicolon.contains(name), let value = named[name], let scalar = Unicode.Scalar(value) else {
            return nil
        }
        return (scalar, index)
    }

    private static func numericScalar(_ value: UInt32) -> Unicode.Scalar {
        if (0x80...0x9F).contains(value), let mapped = windows1252[value], let scalar = Unicode.Scalar(mapped) {
            return scalar
        }
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return scalar
    }

    private static func digitValue(_ byte: UInt8, radix: UInt32) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    // MARK: - Tables

    private static let legacyWithoutSemicolon: Set<String> = ["amp", "lt", "gt", "quot", "nbsp", "AMP", "LT", "GT", "QUOT"]

    /// What browsers show for C1 control references, per the HTML5 parsing spec.
    private static let windows1252: [UInt32: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
        0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
        0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
        0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
    ]

    /// The named references job-board editors actually produce: markup escapes, all of Latin-1,
    /// typographic punctuation, arrows and a few symbols. Unknown names are left as literal text.
    private static let named: [String: UInt32] = [
        // Markup and whitespace
        "amp": 0x26, "AMP": 0x26, "lt": 0x3C, "LT": 0x3C, "gt": 0x3E, "GT": 0x3E, "quot": 0x22, "QUOT": 0x22,
        "apos": 0x27, "nbsp": 0xA0, "ensp": 0x2002, "emsp": 0x2003, "thinsp": 0x2009, "zwnj": 0x200C,
        "zwj": 0x200D, "lrm": 0x200E, "rlm": 0x200F, "Tab": 0x09, "NewLine": 0x0A, "colon": 0x3A,
        "comma": 0x2C, "period": 0x2E, "excl": 0x21, "quest": 0x3F, "num": 0x23, "dollar": 0x24,
        "percnt": 0x25, "lpar": 0x28, "rpar": 0x29, "ast": 0x2A, "plus": 0x2B, "sol": 0x2F, "semi": 0x3B,
        "equals": 0x3D, "commat": 0x40, "lsqb": 0x5B, "rsqb": 0x5D, "bsol": 0x5C, "lowbar": 0x5F,
        "grave": 0x60, "lcub": 0x7B, "rcub": 0x7D, "verbar": 0x7C, "vert": 0x7C, "Hat": 0x5E,
        // Latin-1 symbols
        "iexcl": 0xA1, "cent": 0xA2, "pound": 0xA3, "curren": 0xA4, "yen": 0xA5, "brvbar": 0xA6, "sect": 0xA7,
        "uml": 0xA8, "copy": 0xA9, "COPY": 0xA9, "ordf": 0xAA, "laquo": 0xAB, "not": 0xAC, "shy": 0xAD,
        "reg": 0xAE, "REG": 0xAE, "macr": 0xAF, "deg": 0xB0, "plusmn": 0xB1, "sup2": 0xB2, "sup3": 0xB3,
        "acute": 0xB4, "micro": 0xB5, "para": 0xB6, "middot": 0xB7, "cedil": 0xB8, "sup1": 0xB9,
        "ordm": 0xBA, "raquo": 0xBB, "frac14": 0xBC, "frac12": 0xBD, "half": 0xBD, "frac34": 0xBE,
        "iquest": 0xBF, "times": 0xD7, "divide": 0xF7,
        // Latin-1 letters
        "Agrave": 0xC0, "Aacute": 0xC1, "Acirc": 0xC2, "Atilde": 0xC3, "Auml": 0xC4, "Aring": 0xC5,
        "AElig": 0xC6, "Ccedil": 0xC7, "Egrave": 0xC8, "Eacute": 0xC9, "Ecirc": 0xCA, "Euml": 0xCB,
        "Igrave": 0xCC, "Iacute": 0xCD, "Icirc": 0xCE, "Iuml": 0xCF, "ETH": 0xD0, "Ntilde": 0xD1,
        "Ograve": 0xD2, "Oacute": 0xD3, "Ocirc": 0xD4, "Otilde": 0xD5, "Ouml": 0xD6, "Oslash": 0xD8,
        "Ugrave": 0xD9, "Uacute": 0xDA, "Ucirc": 0xDB, "Uuml": 0xDC, "Yacute": 0xDD, "THORN": 0xDE,
        "szlig": 0xDF, "agrave": 0xE0, "aacute": 0xE1, "acirc": 0xE2, "atilde": 0xE3, "auml": 0xE4,
        "aring": 0xE5, "aelig": 0xE6, "ccedil": 0xE7, "egrave": 0xE8, "eacute": 0xE9, "ecirc": 0xEA,
        "euml": 0xEB, "igrave": 0xEC, "iacute": 0xED, "icirc": 0xEE, "iuml": 0xEF, "eth": 0xF0,
        "ntilde": 0xF1, "ograve": 0xF2, "oacute": 0xF3, "ocirc": 0xF4, "otilde": 0xF5, "ouml": 0xF6,
        "oslash": 0xF8, "ugrave": 0xF9, "uacute": 0xFA, "ucirc": 0xFB, "uuml": 0xFC, "yacute": 0xFD,
        "thorn": 0xFE, "yuml": 0xFF,
        // Latin Extended and spacing modifiers
        "OElig": 0x152, "oelig": 0x153, "Scaron": 0x160, "scaron": 0x161, "Yuml": 0x178, "fnof": 0x192,
        "circ": 0x2C6, "tilde": 0x2DC, "Zcaron": 0x17D, "zcaron": 0x17E,
        // Punctuation
        "ndash": 0x2013, "mdash": 0x2014, "horbar": 0x2015, "lsquo": 0x2018, "rsquo": 0x2019,
        "rsquor": 0x2019, "sbquo": 0x201A, "ldquo": 0x201C, "rdquo": 0x201D, "rdquor": 0x201D,
        "bdquo": 0x201E, "dagger": 0x2020, "Dagger": 0x2021, "bull": 0x2022, "bullet": 0x2022,
        "hellip": 0x2026, "mldr": 0x2026, "permil": 0x2030, "prime": 0x2032, "Prime": 0x2033,
        "lsaquo": 0x2039, "rsaquo": 0x203A, "oline": 0x203E, "frasl": 0x2044, "hyphen": 0x2010,
        "dash": 0x2010, "nbhy": 0x2011,
        // Symbols
        "euro": 0x20AC, "trade": 0x2122, "TRADE": 0x2122, "larr": 0x2190, "uarr": 0x2191, "rarr": 0x2192,
        "darr": 0x2193, "harr": 0x2194, "rArr": 0x21D2, "lArr": 0x21D0, "hArr": 0x21D4, "minus": 0x2212,
        "le": 0x2264, "ge": 0x2265, "ne": 0x2260, "asymp": 0x2248, "infin": 0x221E, "sim": 0x223C,
        "check": 0x2713, "cross": 0x2717, "star": 0x2606, "starf": 0x2605, "bigstar": 0x2605,
        "hearts": 0x2665, "spades": 0x2660, "clubs": 0x2663, "diams": 0x2666, "loz": 0x25CA,
        "squ": 0x25A1, "square": 0x25A1, "squf": 0x25AA, "blacksquare": 0x25AA, "phone": 0x260E,
        "female": 0x2640, "male": 0x2642, "sharp": 0x266F, "numero": 0x2116,
        // Greek letters that show up in technical postings (µ, π, Σ, Δ)
        "alpha": 0x3B1, "beta": 0x3B2, "gamma": 0x3B3, "delta": 0x3B4, "Delta": 0x394, "lambda": 0x3BB,
        "mu": 0x3BC, "pi": 0x3C0, "sigma": 0x3C3, "Sigma": 0x3A3, "Omega": 0x3A9, "omega": 0x3C9,
    ]
}
