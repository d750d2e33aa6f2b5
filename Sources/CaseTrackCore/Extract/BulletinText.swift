import Foundation

extension CaseStore {
    /// An extractor that knows this database's divisions and categories (with their aliases,
    /// including those users added).
    public func bulletinExtractor() throws -> BulletinExtractor {
        BulletinExtractor(cities: try cities().map(\.city), categories: try entries(of: .category))
    }
}

/// Bulletin text read from files, folders or standard input.
public enum BulletinText {
    /// The files that arguments name: a file as it is, a folder's .txt files in name order (not
    /// its subfolders), - for standard input; each file once.
    public static func paths(_ arguments: [String]) throws -> [String] {
        var paths: [String] = []
        var seen = Set<String>()
        for argument in arguments {
            var isFolder: ObjCBool = false
            if argument != "-", FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder), isFolder.boolValue {
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: argument)
                } catch {
                    throw CaseTrackError.input("\(argument): the folder cannot be read")
                }
                let texts = names.filter { !$0.hasPrefix(".") && $0.lowercased().hasSuffix(".txt") }.sorted()
                if texts.isEmpty { throw CaseTrackError.input("\(argument): the folder holds no .txt file") }
                for text in texts {
                    let path = (argument as NSString).appendingPathComponent(text)
                    if seen.insert(path).inserted { paths.append(path) }
                }
            } else if seen.insert(argument).inserted {
                paths.append(argument)
            }
        }
        return paths
    }

    /// How a path is named in evidence and notes.
    public static func name(_ path: String) -> String { path == "-" ? "standard input" : path }

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
