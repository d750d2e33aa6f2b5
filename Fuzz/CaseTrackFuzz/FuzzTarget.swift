import CaseTrackCore
import Foundation

// libFuzzer target for the parsers that read untrusted text. The first byte picks the parser;
// the rest is its input. Every parser must return or throw a CaseTrackError-style error, never
// trap. Built by `make fuzz` only (see Package.swift). Leak detection is off there: the Swift
// runtime's and the regex engine's caches live as long as the process, by design.

nonisolated(unsafe) let store: CaseStore? = try? CaseStore.inMemory()
nonisolated(unsafe) let extractor: BulletinExtractor? = try? store?.bulletinExtractor()

func fuzzOne(_ bytes: [UInt8]) {
    guard let selector = bytes.first else { return }
    let payload = Data(bytes.dropFirst())
    let text = String(decoding: payload, as: UTF8.self)
    switch selector % 11 {
    case 0: _ = try? CaseReference(parsing: text)
    case 1: _ = try? PartialDate(parsing: text)
    case 2: _ = try? ResultCount.parse(text)
    case 3: _ = try? CaseCode.normalise(text)
    case 4: _ = try? ReportKey.parseList(text)
    case 5, 6, 7:
        // Whole imports into an in-memory database: reading, validation and the transaction.
        let format: ExchangeFormat = selector % 11 == 5 ? .jsonl : selector % 11 == 6 ? .json : .csv
        _ = try? store?.importDocuments(data: payload, name: "fuzz", options: ImportOptions(format: format, dryRun: true))
    case 8:
        _ = try? store?.importDocuments(data: payload, name: "fuzz", options: ImportOptions(format: .csv, encoding: .gb18030, dryRun: true))
    case 10:
        // Bulletin text: whatever it says, every figure found must be a valid count.
        for found in extractor?.extract(text, defaultYear: 2023) ?? [] {
            for result in found.results where !ResultCount.range.contains(result.count) {
                fatalError("extract produced an impossible count \(result.count)")
            }
        }
    default:
        _ = DisplayWidth.of(text)
        _ = try? store?.importDocuments(data: payload, name: "fuzz", options: ImportOptions(dryRun: true))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM names an executable's entry point after its module; hand it to libFuzzer's driver.
@_cdecl("CaseTrackFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Build the store and the extractor's patterns before the first input, so that their one-time
    // allocations are not charged to it.
    _ = store
    _ = extractor
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in testOneInput(data, size) }
}
