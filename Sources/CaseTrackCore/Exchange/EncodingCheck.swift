/// Tells what text a file holds before it is read as an import, so that a wrong file or a wrong
/// `--encoding` is named in words (and at the right line) instead of failing somewhere later.
enum EncodingCheck {
    /// How many bytes are looked at.
    static let sample = 1 << 16

    /// Checks the first bytes of an input read as `encoding`; throws a message naming the
    /// problem and the way out.
    static func check(_ bytes: [UInt8], encoding: TextEncoding, forced: Bool, name: String) throws {
        func fail(_ message: String) -> CaseTrackError { .input("\(name): \(message)") }
        if bytes.starts(with: Array("SQLite format 3\u{0}".utf8)) {
            throw fail("is an SQLite database (a casetrack register?), not an import file: to copy its cases, `casetrack export --db FILE` and import that")
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw fail("is an Excel or WPS workbook (.xlsx), not CSV text: save it as \"CSV UTF-8\" and import that")
        }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw fail("is UTF-32 text: save it as UTF-8 (or GB18030 with --encoding gb18030)")
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || looksLikeUTF16(bytes) {
            throw fail("is UTF-16 text (\"Unicode text\" in Excel): save it as \"CSV UTF-8\" (or GB18030 with --encoding gb18030)")
        }
        let utf8BOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        switch encoding {
        case .utf8:
            if bytes.starts(with: [0x84, 0x31, 0x95, 0x33]) {
                throw fail("starts with a GB18030 byte-order mark: add --encoding gb18030")
            }
            if let bad = firstInvalidUTF8(bytes) {
                throw fail("line \(line(of: bad, in: bytes)): is not valid UTF-8 (for a GB18030 or GBK file add --encoding gb18030)")
            }
        case .gb18030:
            // A UTF-8 byte-order mark is always accepted (the text is then read as UTF-8).
            guard !utf8BOM, !forced else { return }
            if bytes.contains(where: { $0 >= 0x80 }), firstInvalidUTF8(bytes) == nil {
                throw fail("is valid UTF-8 text; read as GB18030 its Chinese would become mojibake (测试 → 娴嬭瘯): drop --encoding gb18030, or add --force-encoding if it really is GB18030")
            }
        }
    }

    /// Zero bytes on every other position: UTF-16 text without a byte-order mark.
    static func looksLikeUTF16(_ bytes: [UInt8]) -> Bool {
        let sample = bytes.prefix(64)
        guard sample.count >= 8 else { return false }
        let evenZeros = stride(from: 0, to: sample.count, by: 2).filter { sample[sample.startIndex + $0] == 0 }.count
        let oddZeros = stride(from: 1, to: sample.count, by: 2).filter { sample[sample.startIndex + $0] == 0 }.count
        let half = sample.count / 2
        return evenZeros * 10 >= half * 8 || oddZeros * 10 >= half * 8
    }

    /// The offset of the first byte that is not UTF-8, ignoring a character cut by the sample's end.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            if index + length > bytes.count { return bytes.count == sample ? nil : index }
            for next in 1..<length where bytes[index + next] & 0xC0 != 0x80 { return index }
            if length > 1, String(validating: bytes[index..<(index + length)], as: UTF8.self) == nil { return index }
            index += length
        }
        return nil
    }

    /// The 1-based line an offset falls on.
    static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }
}
