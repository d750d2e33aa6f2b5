import Foundation

/// A calendar date known to the year, the month or the day: `2023`, `2023-01` or `2023-01-13`.
///
/// Bulletins often give only a year or a month, so every date in casetrack carries its own
/// precision; a result counts in the quarter or month of its date only when the date is that
/// precise.
public struct PartialDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let years = 1949...2100

    public let year: Int
    public let month: Int?
    public let day: Int?

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and the forms Chinese spreadsheets write: `/` and
    /// `.` as separators, one-digit months and days (2023-3-3), `20230303`, and `2023年3月3日`
    /// (or 2023年3月, 2023年); full-width digits are normalised. Rejects dates that do not exist.
    public init(parsing text: String, field: String = "date") throws {
        // Plain ASCII (every date an export writes) is read from its bytes: the general path's
        // Foundation calls cost more than the rest of an import's checks together. Both paths
        // accept and refuse the same texts (a test compares them).
        if let parsed = Self.parseASCII(text) {
            guard let date = parsed else { throw CaseTrackError.invalidDate(field: field, value: text) }
            self = date
            return
        }
        self = try Self.parseGeneral(text, field: field)
    }

    /// Reads printable ASCII as `parseGeneral` does; nil when the text is not printable ASCII
    /// (`.some(nil)`: printable ASCII but no valid date).
    static func parseASCII(_ text: String) -> PartialDate?? {
        var text = text
        return text.withUTF8 { parseASCII(bytes: $0) }
    }

    private static func parseASCII(bytes: UnsafeBufferPointer<UInt8>) -> PartialDate?? {
        for byte in bytes where !(byte > 0x20 && byte < 0x80) { return nil }
        let count = bytes.count
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        func value(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - 0x30) } }
        // Up to three parts split at '-', '/' or '.'; `20230113` is split as 2023-01-13.
        var parts: [Range<Int>] = []
        if count == 8, bytes.allSatisfy(isDigit) {
            parts = [0..<4, 4..<6, 6..<8]
        } else {
            var start = 0
            for index in 0...count {
                if index == count || bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: ".") {
                    if parts.count == 3 { return .some(nil) }
                    parts.append(start..<index)
                    start = index + 1
                }
            }
        }
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { isDigit(bytes[$0]) } }),
            parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count <= 2 })
        else { return .some(nil) }
        let year = value(parts[0])
        guard years.contains(year) else { return .some(nil) }
        var month: Int?
        var day: Int?
        if parts.count >= 2 {
            let m = value(parts[1])
            guard (1...12).contains(m) else { return .some(nil) }
            month = m
        }
        if parts.count == 3, let m = month {
            let d = value(parts[2])
            guard (1...daysIn(month: m, year: year)).contains(d) else { return .some(nil) }
            day = d
        }
        return .some(PartialDate(year: year, month: month, day: day))
    }

    /// The general reading, for any text (full-width digits, 年月日, surrounding white space).
    static func parseGeneral(_ text: String, field: String = "date") throws -> PartialDate {
        var normalised = text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x80 })
            ? text : text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        if normalised.contains("年") {
            normalised = normalised.replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-")
            if normalised.hasSuffix("日") { normalised.removeLast() }
            if normalised.hasSuffix("-") { normalised.removeLast() }
        } else if normalised.utf8.count == 8, normalised.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            let digits = Array(normalised)
            normalised = String(digits[0..<4]) + "-" + String(digits[4..<6]) + "-" + String(digits[6..<8])
        }
        let parts = normalised.split(separator: "-", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "/", omittingEmptySubsequences: false) }
            .flatMap { $0.split(separator: ".", omittingEmptySubsequences: false) }
        let invalid = CaseTrackError.invalidDate(field: field, value: text)
        guard (1...3).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count <= 2 }),
            let year = Int(parts[0]), Self.years.contains(year)
        else { throw invalid }
        var month: Int?
        var day: Int?
        if parts.count >= 2 {
            guard let m = Int(parts[1]), (1...12).contains(m) else { throw invalid }
            month = m
        }
        if parts.count == 3, let m = month {
            guard let d = Int(parts[2]), (1...Self.daysIn(month: m, year: year)).contains(d) else {
                throw invalid
            }
            day = d
        }
        return PartialDate(year: year, month: month, day: day)
    }

    public init(year: Int) {
        self.year = year
        self.month = nil
        self.day = nil
    }

    /// The canonical text form stored in the database.
    public var description: String {
        // Written digit by digit: an import writes a million of these.
        guard (0...9999).contains(year), month != nil || day == nil, (0...99).contains(month ?? 0), (0...99).contains(day ?? 0) else {
            func padded(_ value: Int, _ width: Int) -> String {
                let digits = String(value)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            var text = padded(year, 4)
            if let month { text += "-" + padded(month, 2) }
            if let day { text += "-" + padded(day, 2) }
            return text
        }
        let length = month == nil ? 4 : day == nil ? 7 : 10
        return String(unsafeUninitializedCapacity: length) { buffer in
            func digit(_ value: Int) -> UInt8 { UInt8(truncatingIfNeeded: 0x30 + value) }
            buffer[0] = digit(year / 1000)
            buffer[1] = digit(year / 100 % 10)
            buffer[2] = digit(year / 10 % 10)
            buffer[3] = digit(year % 10)
            if let month {
                buffer[4] = UInt8(ascii: "-")
                buffer[5] = digit(month / 10)
                buffer[6] = digit(month % 10)
            }
            if let day {
                buffer[7] = UInt8(ascii: "-")
                buffer[8] = digit(day / 10)
                buffer[9] = digit(day % 10)
            }
            return length
        }
    }

    /// The quarter (1–4) when the month is known.
    public var quarter: Int? { month.map { ($0 - 1) / 3 + 1 } }

    public static func < (lhs: PartialDate, rhs: PartialDate) -> Bool {
        lhs.description < rhs.description
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A statistical year as users type it (`2023`, full-width digits accepted).
public enum StatisticalYear {
    /// Refuses a case's year after the current one: a register records what has happened.
    public static func checkRecorded(_ year: Int, field: String = "year") throws {
        let now = PartialDate.today.year
        if year > now { throw CaseTrackError.futureDate(field: field, value: String(year), today: PartialDate.today.description) }
    }

    public static func parse(_ text: String) throws -> Int {
        // Four ASCII digits (what every import states) need none of Foundation's normalising.
        if text.utf8.count == 4, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let year = Int(text) {
            guard PartialDate.years.contains(year) else { throw CaseTrackError.invalidYear(text) }
            return year
        }
        let normalised = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        guard normalised.count == 4, normalised.allSatisfy({ $0.isASCII && $0.isNumber }),
            let year = Int(normalised), PartialDate.years.contains(year)
        else { throw CaseTrackError.invalidYear(text) }
        return year
    }
}

extension PartialDate {
    /// Reads the date of something that happened (a case opened or closed, a result): as
    /// `init(parsing:field:)`, and never after today, since a register records the past.
    public init(recorded text: String, field: String = "date", today: PartialDate = .today) throws {
        try self.init(parsing: text, field: field)
        // As comparing `firstDay` texts: the year has four digits, month and day at most two.
        if (year, month ?? 1, day ?? 1) > (today.year, today.month ?? 1, today.day ?? 1) {
            throw CaseTrackError.futureDate(field: field, value: description, today: today.description)
        }
    }

    /// Today in the local time zone.
    public static var today: PartialDate { Today.shared.value }

    init(year: Int, month: Int?, day: Int?) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The first day the date can mean, as text that sorts by time (`2023` → `2023-01-01`).
    var firstDay: String {
        PartialDate(year: year, month: month ?? 1, day: day ?? 1).description
    }

    /// The last day the date can mean (`2023-02` → `2023-02-28`).
    var lastDay: String {
        let month = self.month ?? 12
        return PartialDate(year: year, month: month, day: day ?? Self.daysIn(month: month, year: year)).description
    }

    /// True when the date certainly falls before `other` (compared at the coarser precision).
    func isBefore(_ other: PartialDate) -> Bool {
        let length = min(description.count, other.description.count)
        return description.prefix(length) < other.description.prefix(length)
    }
}

/// Today's date, worked out from the calendar once a day: every date an import reads is checked
/// against it, and the calendar's answer costs more than the rest of reading a date.
private final class Today: @unchecked Sendable {
    static let shared = Today()
    private let lock = NSLock()
    private var date: PartialDate?
    private var until = Date.distantPast

    var value: PartialDate {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if let date, now < until { return date }
        let calendar = Calendar.current
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        let today = PartialDate(year: parts.year ?? 2000, month: parts.month, day: parts.day)
        // Until the next midnight, local time.
        until = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now)) ?? now
        date = today
        return today
    }
}
