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
        /// Facts of `expected` the reader deliberately leaves out (see the README): they count
        /// against recall, and a passage is exact without them.
        var notRead: [String]?

        enum CodingKeys: String, CodingKey {
            case name, text, year, expected
            case notRead = "not_read"
        }
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
        let expected = Self.facts(passage.expected).filter { !(passage.notRead ?? []).contains($0) }.sorted()
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

    /// Text copied from a PDF breaks sentences across lines; a line that ends on a character
    /// continues on the next, and offsets stay those of the text.
    @Test func aSentenceWrappedAcrossLinesIsReadWhole() throws {
        let text = "2023年，襄阳市“1.13”专案抓获犯罪\n嫌疑人249名，打掉犯\r\n罪团伙3个。\n一、成效\n\n汉川“6406”专案抓获嫌疑人5名。"
        let cases = try CaseStore.inMemory().bulletinExtractor().extract(text)
        #expect(cases.map(\.label) == ["襄阳\"1.13\"@2023", "汉川\"6406\"@2023"])
        let gang = try #require(cases.first?.results.first { $0.kind == .gang })
        #expect(gang.count == 3)
        let offset = try #require(gang.evidence.phraseOffset)
        #expect(String(Array(text.unicodeScalars)[offset..<(offset + 3)].map(Character.init)) == "打掉犯")
        #expect(cases.last?.results.map(\.count) == [5])
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

    // MARK: - Whose figure

    static func read(_ texts: [(file: String, text: String)], store: CaseStore? = nil, year: Int? = nil) throws -> BulletinReading {
        let extractor = try (store ?? CaseStore.inMemory()).bulletinExtractor()
        var reading = BulletinReading()
        for (file, text) in texts { extractor.read(text, file: file, defaultYear: year, category: nil, into: &reading) }
        return reading
    }

    @Test func aSentenceThatNamesNoCaseGivesNothingAndTheNoteSaysSo() throws {
        let text = "2024年，鄂州“9·9”专案抓获犯罪嫌疑人197名。全省实现侦查办案由打击处置一人到打掉一个团伙、斩断一条产业链、铲除一种犯罪生态。"
        let reading = try Self.read([("综述.txt", text)])
        #expect(Self.facts(reading.cases) == ["鄂州/9.9@2024 category:-", "鄂州/9.9@2024 arrest:initial:197"])
        #expect(reading.notes.map(\.description) == ["not credited to any case: \"打掉一个团伙\" in 综述.txt at offset 43"])
    }

    @Test func countsOutOfRangeAreLeftOutWithANote() throws {
        let reading = try Self.read([("a.txt", "2023年，孝感“1.1”专案抓获99999999名，打掉团伙一千万个。")])
        #expect(reading.cases.first?.results == [])
        #expect(reading.notes.map(\.description) == [
            "out of range (a count is 1…1,000,000): \"抓获99999999名\" in a.txt at offset 15",
            "out of range (a count is 1…1,000,000): \"打掉团伙一千万个\" in a.txt at offset 27",
        ])
    }

    @Test func categoriesAndAliasesUsersAddAreRead() throws {
        let store = try CaseStore.inMemory()
        let text = "2023年，武汉“7·1”走私案抓获犯罪嫌疑人12名。宜昌“5·12”贩毒案抓获犯罪嫌疑人37名。"
        #expect(try Self.read([("a.txt", text)], store: store).cases.map(\.category) == [nil, nil])
        try store.addEntry("走私", aliases: [], to: .category)
        try store.addEntry("毒品", aliases: ["贩毒"], to: .category)
        #expect(try Self.read([("a.txt", text)], store: store).cases.map(\.category) == ["走私", "毒品"])
    }

    @Test(arguments: ["2024-01", "净网-2023", "长江1号", "DX2023-05", "1.13", "9·9", "１０·１"])
    func everyQuotedCodeTheCoreAcceptsNamesACase(code: String) throws {
        let cases = try CaseStore.inMemory().bulletinExtractor().extract("2023年，黄冈“\(code)”专案抓获犯罪嫌疑人8名。")
        #expect(cases.map(\.code) == [try CaseCode.normalise(code)])
        #expect(cases.first?.results.map(\.count) == [8])
    }

    // MARK: - Several texts

    @Test func aLaterFileReplacesAnEarlierFigureAndTheEvidenceNamesBothFiles() throws {
        let reading = try Self.read([
            ("一月.txt", "2023年，襄阳“1.13”专案抓获犯罪嫌疑人200名。"),
            ("年底.txt", "2023年，襄阳“1.13”专案累计抓获犯罪嫌疑人249名。"),
        ])
        let arrest = try #require(reading.cases.first?.results.first)
        #expect(reading.cases.count == 1)
        #expect(arrest.count == 249 && arrest.evidence.file == "年底.txt")
        #expect(arrest.evidence.superseded.map(\.file) == ["一月.txt"])
        #expect(reading.cases.first?.mention.file == "一月.txt")
    }

    // MARK: - Output

    @Test func documentsStateOnlyWhatTheTextStates() throws {
        let text = "2023年，仙桃“4·4”赌博案抓获犯罪嫌疑人2000余名，打掉犯罪团伙3个。"
        let found = try #require(try Self.read([("a.txt", text)]).cases.first)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(found.documentJSON(source: nil).utf8)) as? [String: Any])
        #expect(Set(document.keys) == ["city", "code", "year", "totals_only", "category", "evidence", "arrests", "gangs"])
        #expect(document["totals_only"] as? Bool == true && document["category"] as? String == "赌博")
        let arrest = try #require((document["arrests"] as? [[String: Any]])?.first)
        #expect(Set(arrest.keys) == ["count", "phase", "lower_bound", "note", "evidence"])
        #expect(arrest["note"] as? String == "约数，至少2000：原文“抓获犯罪嫌疑人2000余名”")
        let gang = try #require((document["gangs"] as? [[String: Any]])?.first)
        #expect(Set(gang.keys) == ["count", "lower_bound", "evidence"])
        let evidence = try #require(gang["evidence"] as? [String: Any])
        #expect(evidence["file"] as? String == "a.txt" && evidence["phrase"] as? String == "打掉犯罪团伙3个")

        let sourced = try #require(try JSONSerialization.jsonObject(with: Data(found.documentJSON(source: "通报").utf8)) as? [String: Any])
        #expect(sourced["source"] as? String == "通报")
        let bare = try #require(try Self.read([("b.txt", "2023年，赤壁“4·26”专案正在侦办中。")]).cases.first)
        let bareDocument = try #require(try JSONSerialization.jsonObject(with: Data(bare.documentJSON(source: nil).utf8)) as? [String: Any])
        #expect(Set(bareDocument.keys) == ["city", "code", "year", "totals_only", "evidence"])
    }

    @Test func theReviewTableShowsFileAndCategory() throws {
        let reading = try Self.read([("a.txt", "2023年，襄阳“5·20”赌博案抓获犯罪嫌疑人45人。")])
        let table = ExtractTable.make(reading.cases)
        #expect(table.columns == ["file", "case", "category", "figure", "count", "bound", "evidence", "offset"])
        #expect(table.rows.first?.prefix(5) == [.text("a.txt"), .text("襄阳\"5.20\"@2023"), .text("赌博"), .text("arrests"), .number(45)])
    }

    // MARK: - Linear time

    /// Work units (window probes) per character stay the same however long the text: a sentence
    /// repeated 8 times as often costs 8 times the work, with and without sentence ends.
    @Test(arguments: [
        "2023年，襄阳“1.13”专案抓获犯罪嫌疑人249名，打掉犯罪团伙12个。",
        "全省实现侦查办案由打击处置一人到打掉一个团伙、斩断一条产业链、铲除一种犯罪生态。",
        "襄阳“1.13”专案抓获犯罪嫌疑人249名打掉犯罪团伙12个",
    ])
    func workGrowsLinearlyWithTheText(sentence: String) throws {
        let short = try Self.read([("a.txt", String(repeating: sentence, count: 500))], year: 2023)
        let long = try Self.read([("a.txt", String(repeating: sentence, count: 4000))], year: 2023)
        let ratio = Double(long.work) / Double(short.work)
        #expect(ratio > 7.8 && ratio < 8.2, "work \(short.work) → \(long.work)")
        #expect(long.notes.count <= BulletinReading.noteLimit)
    }

    @Test func aSentenceLongerThanTheWindowIsReadInPieces() throws {
        let text = String(repeating: "襄阳“1.13”专案抓获犯罪嫌疑人249名打掉犯罪团伙12个", count: 400)
        let reading = try Self.read([("a.txt", text)], year: 2023)
        #expect(reading.notes.filter { $0.reason == .longSentence }.map(\.offset) == [0, 4000, 8000])
        #expect(reading.cases.count == 1)
    }
}
