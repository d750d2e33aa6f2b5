/// A figure as bulletins write it: `249`, `1,200`, `１６９`, `十二`, `一百二十`, `两百`, `1.6万`,
/// `2000余` (余/多 marks a lower bound).
public struct BulletinNumber: Sendable, Equatable {
    public var value: Int
    /// True for "2000余", "300多": at least this many.
    public var isLowerBound: Bool

    static let digits: [Character: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    static let units: [Character: Int] = ["十": 10, "百": 100, "千": 1000]

    public init(value: Int, isLowerBound: Bool) {
        self.value = value
        self.isLowerBound = isLowerBound
    }

    /// Reads a figure; nil when the text is not one (or is beyond any plausible count).
    public init?(_ text: String) {
        var body = Substring(text)
        isLowerBound = false
        if let last = body.last, last == "余" || last == "多" {
            isLowerBound = true
            body = body.dropLast()
        }
        guard !body.isEmpty else { return nil }
        let folded = String(body).precomposedCompatibility
        if folded.first?.isASCII == true, folded.allSatisfy({ ($0.isASCII && ($0.isNumber || $0 == "," || $0 == ".")) || $0 == "万" }) {
            var number = Substring(folded.replacingOccurrences(of: ",", with: ""))
            var scale = 1.0
            if number.hasSuffix("万") {
                scale = 10_000
                number = number.dropLast()
            }
            guard !number.isEmpty, number.first?.isNumber == true, let value = Double(number), value.isFinite else { return nil }
            let scaled = value * scale
            guard scaled >= 0, scaled <= 100_000_000, scaled == scaled.rounded() else { return nil }
            self.value = Int(scaled)
        } else if let value = Self.chinese(folded) {
            self.value = value
        } else {
            return nil
        }
    }

    /// Chinese numerals up to the 万s: 十二, 一百二十, 两百, 三千五百, 一万二千.
    static func chinese(_ text: String) -> Int? {
        var total = 0
        var section = 0
        var digit: Int?
        for character in text {
            if let d = digits[character] {
                digit = d
            } else if let unit = units[character] {
                section += (digit ?? 1) * unit
                digit = nil
            } else if character == "万" {
                section += digit ?? 0
                total += (section == 0 ? 1 : section) * 10_000
                section = 0
                digit = nil
            } else {
                return nil
            }
        }
        let value = total + section + (digit ?? 0)
        return value > 0 || text.allSatisfy({ $0 == "零" || $0 == "〇" }) ? value : nil
    }
}

extension String {
    /// Full-width digits and punctuation folded to ASCII (NFKC), Chinese characters kept.
    var precomposedCompatibility: String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19: out.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case 0xFF0C: out.append(",")
            case 0xFF0E: out.append(".")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
