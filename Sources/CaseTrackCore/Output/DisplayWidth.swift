import CDisplayWidth

/// How many terminal columns text takes: a CJK character takes two, ASCII one.
public enum DisplayWidth {
    /// glibc's wcwidth knows non-ASCII scalars only under a UTF-8 LC_CTYPE.
    private static let localeReady: Bool = casetrack_use_utf8_ctype() == 0

    public static func of(_ text: String) -> Int {
        _ = localeReady
        var width = 0
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                width += scalar.value >= 0x20 && scalar.value != 0x7F ? 1 : 0
            } else {
                let w = Int(casetrack_wcwidth(scalar.value))
                width += w >= 0 ? w : (scalar.properties.isEmojiPresentation ? 2 : 1)
            }
        }
        return width
    }

    /// The longest start of `text` that fits in `width` columns.
    public static func cut(_ text: String, to width: Int) -> String {
        var used = 0
        var out = ""
        for character in text {
            let w = of(String(character))
            if used + w > width { break }
            used += w
            out.append(character)
        }
        return out
    }

    /// Pads `text` with spaces to `width` columns, on the right or (for numbers) the left.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - of(text)))
        return alignRight ? padding + text : text + padding
    }
}

extension String {
    /// The text without the spaces (and other white space) that end it: what padding left at
    /// the end of a table's line.
    var droppingTrailingWhitespace: String {
        guard let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[...last])
    }
}
