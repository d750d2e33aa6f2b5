import Foundation

extension CaseStore {
    /// An extractor that knows this database's divisions.
    public func bulletinExtractor() throws -> BulletinExtractor {
        try BulletinExtractor(cities: try cities().map(\.city))
    }
}

/// Bulletin text read from a file or standard input.
public enum BulletinText {
    /// The whole text, decoded from UTF-8 (a byte-order mark is dropped) or GB18030.
    public static func read(path: String, encoding: TextEncoding) throws -> String {
        let input = try InputText(path: path, encoding: encoding)
        var bytes: [UInt8] = []
        while let byte = try input.nextByte() {
            bytes.append(byte)
            if bytes.count > 64 << 20 { throw CaseTrackError.input("\(input.name): larger than 64 MiB; split the text") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let valid = bytes.indices.first { String(validating: bytes[..<$0], as: UTF8.self) == nil && $0 > 0 } ?? 0
            throw CaseTrackError.input(
                "\(input.name): not valid UTF-8 (near byte \(max(valid, 1))); for GB18030 or GBK text add --encoding gb18030")
        }
        return text
    }
}
