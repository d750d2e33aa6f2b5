/// Finds a key given twice in one JSON object (`"count": 5, "count": 500000`), which JSON
/// decoders resolve silently by keeping one of the values.
enum JSONKeys {
    private enum Frame {
        case object(keys: Set<[UInt8]>, path: String, lastKey: String?)
        case array(path: String, index: Int)
    }

    struct Duplicate {
        /// Where the object is (`arrests[0]`), empty for the document itself.
        var path: String
        var key: String
    }

    /// One linear pass over the bytes, tracking strings and nesting; nil when every object's
    /// keys are distinct (or the text is not JSON, which the decoder then reports).
    static func firstDuplicate(in bytes: some Collection<UInt8>) -> Duplicate? {
        var stack: [Frame] = []
        var index = bytes.startIndex
        var expectKey = false
        func childPath() -> String {
            guard let last = stack.last else { return "" }
            switch last {
            case let .object(_, path, key): return path.isEmpty ? (key ?? "") : "\(path).\(key ?? "")"
            case let .array(path, index): return "\(path)[\(index)]"
            }
        }
        while index != bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                var string: [UInt8] = []
                var escaped = false
                index = bytes.index(after: index)
                while index != bytes.endIndex {
                    let c = bytes[index]
                    if escaped { escaped = false; string.append(c) } else if c == UInt8(ascii: "\\") { escaped = true; string.append(c) } else if c == UInt8(ascii: "\"") { break } else { string.append(c) }
                    index = bytes.index(after: index)
                }
                if expectKey, case let .object(keys, objectPath, _)? = stack.last {
                    let name = String(decoding: string, as: UTF8.self)
                    if keys.contains(string) { return Duplicate(path: objectPath, key: name) }
                    stack[stack.count - 1] = .object(keys: keys.union([string]), path: objectPath, lastKey: name)
                    expectKey = false
                }
            case UInt8(ascii: "{"):
                stack.append(.object(keys: [], path: childPath(), lastKey: nil))
                expectKey = true
            case UInt8(ascii: "["):
                stack.append(.array(path: childPath(), index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                expectKey = false
            case UInt8(ascii: ","):
                if case let .array(path, i)? = stack.last { stack[stack.count - 1] = .array(path: path, index: i + 1) }
                if case .object? = stack.last { expectKey = true }
            default:
                break
            }
            if index != bytes.endIndex { index = bytes.index(after: index) }
        }
        return nil
    }
}
