/// The character-level rules both input paths (HTML and plain text) share, so the same posting yields
/// the same clean text whichever field a board gave us.
enum TextNormalization {
    /// Whether `scalar` is whitespace that collapses into one ASCII space.
    ///
    /// Covers NBSP and the other Unicode spaces because editors paste them in between words and in
    /// otherwise empty paragraphs; keeping them would defeat line trimming and blank-line collapsing.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` is an invisible character to drop.
    ///
    /// Zero-width spaces, word joiners, BOMs, soft hyphens, direction marks and control characters
    /// split words invisibly and break keyword matching downstream. A zero-width joiner after an emoji is kept: it is what
    /// glues sequences like 👩‍💻 together, and dropping it would change what the reader sees.
    static func isInvisible(_ scalar: Unicode.Scalar, after previous: Unicode.Scalar?) -> Bool {
        switch scalar.value {
        case 0x200D:
            guard let previous, previous.value >= 0x2000 else { return true }
            return !previous.properties.isEmoji
        case 0x00AD, 0x200B, 0x200C, 0x200E, 0x200F, 0x2060...0x2064, 0xFEFF:
            return true
        case 0x00...0x08, 0x0E...0x1F, 0x7F, 0x80...0x9F:
            // Control characters (whitespace ones are handled by `isSpace`) are never meant as text.
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` counts as a letter or digit (for emphasis and header heuristics).
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// Decodes the UTF-8 sequence starting at `bytes[index]`.
    ///
    /// The renderer scans raw bytes for speed; this turns a non-ASCII run back into a scalar. Input
    /// comes from a Swift `String`, so it is valid UTF-8, but a truncated sequence still decodes to
    /// U+FFFD instead of trapping.
    ///
    /// - Returns: The scalar and the number of bytes it used.
    static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int, limit: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0x00..<0x80: return (Unicode.Scalar(lead), 1)
        case 0xC0..<0xE0: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0..<0xF0: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0..<0xF8: length = 4; value = UInt32(lead & 0x07)
        default: return ("\u{FFFD}", 1)
        }
        guard index + length <= limit else { return ("\u{FFFD}", 1) }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return ("\u{FFFD}", 1) }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }
}
