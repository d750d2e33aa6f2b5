import CaseTrackCore

/// Stores for tests: empty, or holding the three seed cases of the 2024 provincial review.
enum TestStore {
    static func empty() throws -> CaseStore { try CaseStore.inMemory() }

    /// 襄阳"1.13" (249 arrests, 12 gangs), 汉川"6406" (337 + 169 extended), 鄂州"9.9" (197, 7 links).
    static func seeded() throws -> CaseStore {
        let store = try empty()
        try store.addCase(CaseFields(city: "襄阳", code: "1.13", opened: "2023-01-13", category: "电信网络诈骗"))
        try store.addArrest(to: .key(city: "襄阳", code: "1.13", year: 2023), ArrestFields(count: "249"))
        try store.addGang(to: .key(city: "襄阳", code: "1.13", year: 2023), GangFields(count: "12"))
        try store.addCase(CaseFields(city: "汉川", code: "6406", year: "2023"))
        try store.addArrest(to: .key(city: "汉川", code: "6406", year: nil), ArrestFields(count: "337"))
        try store.addArrest(to: .key(city: "汉川", code: "6406", year: nil), ArrestFields(count: "169", phase: "extended"))
        try store.addCase(CaseFields(city: "鄂州", code: "9.9", year: "2023", category: "诈骗"))
        try store.addArrest(to: .key(city: "鄂州", code: "9.9", year: nil), ArrestFields(count: "197"))
        try store.addLink(to: .key(city: "鄂州", code: "9.9", year: nil), LinkFields(count: "7"))
        return store
    }
}
