/// A figure as bulletins write it: `249`, `1,200`, `１６９`, `十二`, `一百二十`, `两百`, `1.6万`,
/// `2000余` (余/多 marks a lower bound).
public struct BulletinNumber: Sendable, Equatable {
    public var value: Int
    /// True for "2000余", "300多": at least this many.
    public var isLowerBound: Bool

    public init(value: Int, isLowerBound: Bool) {
        self.value = value
        self.isLowerBound = isLowerBound
    }

    /// Reads a figure; nil when the text is not one, or is beyond any plausible count (10⁸).
    public init?(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        guard let read = FigureNumber.read(scalars, at: 0), read.end == scalars.count, read.value <= 100_000_000 else { return nil }
        self.init(value: read.value, isLowerBound: read.isLowerBound)
    }
}

/// A number read at a position of a sentence, before it is checked as a count.
struct FigureNumber: Equatable {
    /// Saturates at 10¹²: larger numbers are out of range all the same.
    var value: Int
    var isLowerBound: Bool
    /// The numeral 一 on its own: 打掉一个团伙, 抓获一名.
    var isBareOne: Bool
    /// Where the number (with 余/多) ends.
    var end: Int

    static let cap = 1_000_000_000_000
    static let digits: [Unicode.Scalar: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    static let units: [Unicode.Scalar: Int] = ["十": 10, "百": 100, "千": 1000]

    /// The number at `index`: digits (full-width too, with thousands separators, a decimal
    /// only before 万) or Chinese numerals, then 余 or 多. Reads at most a few dozen scalars.
    static func read(_ s: [Unicode.Scalar], at index: Int) -> FigureNumber? {
        guard index < s.count else { return nil }
        var i = index
        var value = 0
        var isBareOne = false
        if Scalars.isDigit(s[i]) {
            func digitRun() -> (value: Int, count: Int) {
                var v = 0
                var count = 0
                while i < s.count, Scalars.isDigit(s[i]), count < 16 {
                    v = min(v * 10 + Scalars.digitValue(s[i]), cap)
                    count += 1
                    i += 1
                }
                return (v, count)
            }
            value = digitRun().value
            // "1,024": a separator counts only before exactly three digits.
            while i + 3 < s.count, s[i] == "," || s[i] == "，", (1...3).allSatisfy({ Scalars.isDigit(s[i + $0]) }),
                i + 4 >= s.count || !Scalars.isDigit(s[i + 4])
            {
                i += 1
                value = min(value * 1000 + digitRun().value, cap)
            }
            var fraction = 0
            var fractionDigits = 0
            if i + 1 < s.count, s[i] == "." || s[i] == "．", Scalars.isDigit(s[i + 1]) {
                i += 1
                let run = digitRun()
                (fraction, fractionDigits) = (run.value, run.count)
            }
            if i < s.count, s[i] == "万" {
                i += 1
                guard fractionDigits <= 4 else { return nil }
                var scale = 10_000
                for _ in 0..<fractionDigits { scale /= 10 }
                value = min(value * 10_000 + fraction * scale, cap)
            } else if fractionDigits > 0 {
                return nil  // 1.5名 is no count.
            }
        } else if digits[s[i]] != nil || units[s[i]] != nil {
            var total = 0
            var section = 0
            var digit: Int?
            let start = i
            while i < s.count, i - start < 12 {
                if let d = digits[s[i]] {
                    digit = d
                } else if let unit = units[s[i]] {
                    section += (digit ?? 1) * unit
                    digit = nil
                } else if s[i] == "万", i > start {
                    section += digit ?? 0
                    total += (section == 0 ? 1 : section) * 10_000
                    section = 0
                    digit = nil
                } else {
                    break
                }
                i += 1
            }
            value = total + section + (digit ?? 0)
            guard value > 0 else { return nil }
            isBareOne = i == start + 1 && s[start] == "一"
        } else {
            return nil
        }
        var isLowerBound = false
        if i < s.count, s[i] == "余" || s[i] == "多" {
            isLowerBound = true
            isBareOne = false
            i += 1
        }
        return FigureNumber(value: value, isLowerBound: isLowerBound, isBareOne: isBareOne, end: i)
    }
}
