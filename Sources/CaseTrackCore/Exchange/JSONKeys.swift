/// Finds a key given twice in one JSON object (`"count": 5, "count": 500000`), which JSON
/// decoders resolve silently by keeping one of the values.
enum JSONKeys {
    struct Duplicate: Equatable {
        /// Where the object is (`arrests[0]`), empty for the document itself.
        var path: String
        var key: String
    }

    /// What one pass over a document's bytes found.
    struct Scan {
        var duplicate: Duplicate?
        /// True when every key of the document object and of the entries of its top-level
        /// `arrests`, `gangs` and `links` arrays is written without escapes and is one of the
        /// fields `CaseDocument` allows there, so that `StrictObject` need not list the keys
        /// again. False whenever that is not certain (an escaped key, an unknown one).
        var knownKeysOnly: Bool
    }

    /// nil when every object's keys are distinct (or the text is not JSON, which the decoder then reports).
    static func firstDuplicate(in bytes: some Collection<UInt8>) -> Duplicate? {
        scan(bytes).duplicate
    }

    /// One linear pass over the bytes, tracking strings and nesting.
    static func scan(_ bytes: some Collection<UInt8>) -> Scan {
        if let scan = bytes.withContiguousStorageIfAvailable({ scan(buffer: $0) }) { return scan }
        return Array(bytes).withUnsafeBufferPointer { scan(buffer: $0) }
    }

    /// Which of `CaseDocument`'s strict objects an object is.
    private enum Role { case document, arrest, gang, link, other }

    private struct Frame {
        var isObject: Bool
        /// Where the object's keys start in `keys`.
        var firstKey: Int
        var lastKey: Range<Int>?
        /// Arrays: the index of the current element.
        var index: Int
        /// Objects: their own role; arrays: the role of the objects directly in them.
        var role: Role
        /// Keys already seen, once an object has too many to compare one by one.
        var seen: Set<[UInt8]>?
    }

    private static let documentAllowed = CaseDocument.fields.map { Array($0.utf8) }
    private static let arrestAllowed = CaseDocument.arrestFields.map { Array($0.utf8) }
    private static let gangAllowed = CaseDocument.gangFields.map { Array($0.utf8) }
    private static let linkAllowed = CaseDocument.linkFields.map { Array($0.utf8) }
    private static let arrays: [(name: [UInt8], role: Role)] = [
        (Array("arrests".utf8), .arrest), (Array("gangs".utf8), .gang), (Array("links".utf8), .link),
    ]
    /// Beyond this many keys an object's keys go into a set rather than being compared one by one.
    private static let linearLimit = 24

    private static func scan(buffer bytes: UnsafeBufferPointer<UInt8>) -> Scan {
        var stack: [Frame] = []
        stack.reserveCapacity(8)
        var keys: [Range<Int>] = []
        keys.reserveCapacity(32)
        var knownKeysOnly = true
        var index = 0
        let end = bytes.count
        var expectKey = false

        func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
            guard a.count == b.count else { return false }
            var i = a.lowerBound
            var j = b.lowerBound
            while i < a.upperBound {
                if bytes[i] != bytes[j] { return false }
                i += 1
                j += 1
            }
            return true
        }
        func equals(_ range: Range<Int>, _ name: [UInt8]) -> Bool {
            guard range.count == name.count else { return false }
            var i = range.lowerBound
            for byte in name {
                if bytes[i] != byte { return false }
                i += 1
            }
            return true
        }
        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        // The path of the object at `depth` (as the objects and arrays around it name it).
        func path(ofObjectAt depth: Int) -> String {
            var path = ""
            for frame in stack[..<depth] {
                if frame.isObject {
                    let key = frame.lastKey.map(text) ?? ""
                    path = path.isEmpty ? key : "\(path).\(key)"
                } else {
                    path = "\(path)[\(frame.index)]"
                }
            }
            return path
        }
        func allowedKeys(_ role: Role) -> [[UInt8]] {
            switch role {
            case .document: return documentAllowed
            case .arrest: return arrestAllowed
            case .gang: return gangAllowed
            case .link: return linkAllowed
            case .other: return []
            }
        }

        while index != end {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                let start = index
                var escaped = false
                var hasEscape = false
                while index != end {
                    let c = bytes[index]
                    if escaped {
                        escaped = false
                    } else if c == UInt8(ascii: "\\") {
                        escaped = true
                        hasEscape = true
                    } else if c == UInt8(ascii: "\"") {
                        break
                    }
                    index += 1
                }
                let key = start..<index
                if expectKey, let depth = stack.indices.last, stack[depth].isObject {
                    let firstKey = stack[depth].firstKey
                    if stack[depth].seen != nil {
                        if stack[depth].seen?.insert(Array(bytes[key])).inserted == false {
                            return Scan(duplicate: Duplicate(path: path(ofObjectAt: depth), key: text(key)), knownKeysOnly: false)
                        }
                    } else {
                        for other in keys[firstKey...] where same(other, key) {
                            return Scan(duplicate: Duplicate(path: path(ofObjectAt: depth), key: text(key)), knownKeysOnly: false)
                        }
                        keys.append(key)
                        if keys.count - firstKey > linearLimit {
                            stack[depth].seen = Set(keys[firstKey...].map { Array(bytes[$0]) })
                            keys.removeSubrange(firstKey...)
                        }
                    }
                    stack[depth].lastKey = key
                    let role = stack[depth].role
                    if knownKeysOnly, role != .other {
                        if hasEscape || !allowedKeys(role).contains(where: { equals(key, $0) }) { knownKeysOnly = false }
                    }
                    expectKey = false
                }
            case UInt8(ascii: "{"):
                let role: Role
                if let depth = stack.indices.last { role = stack[depth].isObject ? .other : stack[depth].role } else { role = .document }
                stack.append(Frame(isObject: true, firstKey: keys.count, lastKey: nil, index: 0, role: role))
                expectKey = true
            case UInt8(ascii: "["):
                // The arrays whose objects are strict: the document's arrests, gangs and links.
                var role = Role.other
                if stack.count == 1, stack[0].isObject, stack[0].role == .document, let key = stack[0].lastKey {
                    role = arrays.first(where: { equals(key, $0.name) })?.role ?? .other
                }
                stack.append(Frame(isObject: false, firstKey: keys.count, lastKey: nil, index: 0, role: role))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let last = stack.popLast(), last.isObject { keys.removeSubrange(last.firstKey...) }
                expectKey = false
            case UInt8(ascii: ","):
                if let depth = stack.indices.last {
                    if stack[depth].isObject { expectKey = true } else { stack[depth].index += 1 }
                }
            default:
                break
            }
            if index != end { index += 1 }
        }
        return Scan(duplicate: nil, knownKeysOnly: knownKeysOnly)
    }
}
