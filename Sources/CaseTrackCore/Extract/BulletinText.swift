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
        guard let bytes = try input.remaining(limit: 64 << 20) else {
            throw CaseTrackError.input("\(input.name): larger than 64 MiB; split the text")
        }
        if let offset = firstInvalidUTF8(bytes) {
            throw CaseTrackError.input(
                "\(input.name): not valid UTF-8 (at byte \(offset + 1)); for GB18030 or GBK text add --encoding gb18030")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Where the bytes stop being UTF-8, found in one pass; nil when they are UTF-8 throughout.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(scalar): offset += scalar.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }
}
