import Foundation
import Testing
@testable import CaseTrackCore

/// The bulletin corpus (Fixtures/bulletins.json): passages written for these tests, each with the
/// records it must give — no more, no fewer. Facts are counted as the case itself (city, code,
/// year, category) and each figure (kind, phase, count, lower bound).
@Suite struct ExtractTests {
    struct Passage: Decodable {
        var name: String
        var text: String
        var year: Int?
        var expected: [ExpectedCase]
    }

    struct ExpectedCase: Decodable {
        var `case`: String
        var category: String?
        var figures: [String]
    }

    /// bulletins.json holds one phrasing per passage; bulletins-reviews.json holds long passages in
    /// the register of provincial reviews and news features, and the phrasings of issue 10.
    static let corpus: [Passage] = ["bulletins.json", "bulletins-reviews.json"].flatMap { name -> [Passage] in
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        guard let data = try? Data(contentsOf: url), let passages = try? JSONDecoder().decode([Passage].self, from: data) else { return [] }
        return passages
    }

    static func facts(_ cases: [ExtractedCase]) -> [String] {
        cases.flatMap { found -> [String] in
            let key = "\(found.city)/\(found.code)@\(found.year.map(String.init) ?? "?")"
            let figures = found.results.map { r -> String in
                let kind = r.kind == .arrest ? "arrest:\(r.phase?.rawValue ?? "?")" : r.kind.rawValue
                return "\(key) \(kind):\(r.count)\(r.isLowerBound ? "~" : "")"
            }
            return ["\(key) category:\(found.category ?? "-")"] + figures
        }
    }

    static func facts(_ expected: [ExpectedCase]) -> [String] {
        expected.flatMap { c in ["\(c.case) category:\(c.category ?? "-")"] + c.figures.map { "\(c.case) \($0)" } }
    }

    static func extract(_ passage: Passage) throws -> [ExtractedCase] {
        let store = try CaseStore.inMemory()
        return try store.bulletinExtractor().extract(passage.text, defaultYear: passage.year)
    }

    @Test func theCorpusHoldsEightyPassagesThirtyOfThemLong() {
        #expect(Self.corpus.count >= 80)
        #expect(Self.corpus.filter { $0.text.count >= 600 }.count >= 30)
        #expect(Set(Self.corpus.map(\.name)).count == Self.corpus.count, "passage names are unique")
    }

    @Test(arguments: corpus.map(\.name))
    func eachPassageGivesExactlyItsRecords(name: String) throws {
        let passage = try #require(Self.corpus.first { $0.name == name })
        let found = Self.facts(try Self.extract(passage)).sorted()
        let expected = Self.facts(passage.expected).sorted()
        #expect(found == expected, "\(name)\nfound:    \(found)\nexpected: \(expected)")
    }

    @Test func noFigureIsEverInventedAndAlmostAllAreFound() throws {
        var found = 0
        var expected = 0
        var correct = 0
        for passage in Self.corpus {
            var wanted = Self.facts(passage.expected)
            let got = Self.facts(try Self.extract(passage))
            found += got.count
            expected += wanted.count
            for fact in got {
                if let index = wanted.firstIndex(of: fact) {
                    wanted.remove(at: index)
                    correct += 1
                }
            }
        }
        let precision = Double(correct) / Double(max(found, 1))
        let recall = Double(correct) / Double(max(expected, 1))
        print("extract corpus: \(Self.corpus.count) passages, \(expected) facts expected, \(found) found, \(correct) correct; precision \(precision), recall \(recall)")
        #expect(precision == 1)
        #expect(recall >= 0.98)
    }

    @Test func everyFigureCarriesTheSentenceItCameFrom() throws {
        let text = "2023年，汉川“6406”专案中，警方抓获犯罪嫌疑人337名，扩线深挖又抓获169名。"
        let cases = try CaseStore.inMemory().bulletinExtractor().extract(text)
        let extended = try #require(cases.first?.results.last)
        #expect(extended.evidence.text == text)
        #expect(extended.evidence.offset == 0)
        #expect(extended.evidence.phrase == "扩线深挖又抓获169名")
        let offset = try #require(extended.evidence.phraseOffset)
        #expect(String(Array(text.unicodeScalars)[offset..<(offset + 4)].map(Character.init)) == "扩线深挖")
    }

    @Test func aLaterStatementWinsAndTheMergeIsShown() throws {
        let text = "2023年1月，襄阳“1.13”专案首轮收网抓获犯罪嫌疑人200名。\n截至年底，襄阳“1.13”专案累计抓获犯罪嫌疑人249名。"
        let cases = try CaseStore.inMemory().bulletinExtractor().extract(text)
        #expect(cases.count == 1)
        let arrest = try #require(cases.first?.results.first)
        #expect(arrest.count == 249)
        #expect(arrest.evidence.superseded.map(\.count) == [200])
        #expect(cases.first?.documentJSON(source: nil).contains("\"superseded\":[{\"count\":200") == true)
    }

    @Test(arguments: [
        ("249", 249, false), ("1,200", 1200, false), ("１６９", 169, false), ("十二", 12, false), ("一百二十", 120, false),
        ("两百", 200, false), ("三千五百", 3500, false), ("一万二千", 12000, false), ("1.6万", 16000, false),
        ("2000余", 2000, true), ("30多", 30, true), ("十", 10, false),
    ])
    func bulletinNumbersAreRead(text: String, value: Int, lowerBound: Bool) {
        #expect(BulletinNumber(text) == BulletinNumber(value: value, isLowerBound: lowerBound))
    }

    @Test(arguments: ["", "余", "abc", "1.5", "亿", "1e9", "9999999999"])
    func thingsThatAreNotFiguresAreNotRead(text: String) {
        #expect(BulletinNumber(text) == nil)
    }
}
