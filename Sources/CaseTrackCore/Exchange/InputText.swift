import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of an import, read in chunks from a file or standard input and delivered as UTF-8:
/// a UTF-8 byte-order mark is dropped, and GB18030 (GBK) input is converted with the C
/// library's iconv as it streams, so that memory stays flat however large the file.
final class InputText {
    /// How the input is named in messages: the path, or "standard input".
    let name: String
    /// The path, when the input is a file already in UTF-8 that other readers may open themselves.
    let plainUTF8File: String?
    /// nil for input given in memory.
    private let handle: FileHandle?
    private let converter: GB18030Converter?
    private var pending: [UInt8] = []
    private var position = 0
    private var finished = false
    static let chunkSize = 1 << 20

    init(path: String, encoding: TextEncoding, forceEncoding: Bool = false) throws {
        var encoding = encoding
        if path == "-" {
            name = "standard input"
            handle = FileHandle.standardInput
        } else {
            name = path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CaseTrackError.input("\(path): no such file")
            }
            guard !isDirectory.boolValue else { throw CaseTrackError.input("\(path): is a folder; give a file") }
            guard let opened = FileHandle(forReadingAtPath: path) else {
                throw CaseTrackError.input("\(path): cannot read this file (permission denied?)")
            }
            // A regular file is looked at first, so that a wrong file or encoding is named in words.
            if let probe = FileHandle(forReadingAtPath: path) {
                let head = [UInt8]((try? probe.read(upToCount: EncodingCheck.sample)) ?? Data())
                try? probe.close()
                try EncodingCheck.check(head, encoding: encoding, forced: forceEncoding, name: path)
                if encoding == .gb18030 && head.starts(with: [0xEF, 0xBB, 0xBF]) { encoding = .utf8 }
            }
            handle = opened
        }
        converter = encoding == .gb18030 ? try GB18030Converter(name: name) : nil
        plainUTF8File = path != "-" && encoding == .utf8 ? path : nil
        try skipByteOrderMark()
    }

    /// Input already in memory (text produced by casetrack itself, tests, fuzzing).
    init(data: Data, name: String, encoding: TextEncoding, forceEncoding: Bool = false) throws {
        var encoding = encoding
        let head = [UInt8](data.prefix(EncodingCheck.sample))
        try EncodingCheck.check(head, encoding: encoding, forced: forceEncoding, name: name)
        if encoding == .gb18030 && head.starts(with: [0xEF, 0xBB, 0xBF]) { encoding = .utf8 }
        self.name = name
        handle = nil
        plainUTF8File = nil
        converter = encoding == .gb18030 ? try GB18030Converter(name: name) : nil
        if let converter {
            pending = try converter.convert(data) + converter.finish()
        } else {
            pending = [UInt8](data)
        }
        finished = true
        try skipByteOrderMark()
    }

    private func skipByteOrderMark() throws {
        try fill(minimum: 3)
        if pending.count - position >= 3, pending[position] == 0xEF, pending[position + 1] == 0xBB, pending[position + 2] == 0xBF {
            position += 3
        }
    }

    /// Up to `count` bytes from the current position, without consuming them.
    func peek(_ count: Int) throws -> [UInt8] {
        try fill(minimum: count)
        return Array(pending[position..<min(pending.count, position + count)])
    }

    /// The longest line (or JSON document) read, so that memory never grows with one record.
    static let lineLimit = 16 << 20

    /// The next line without its line ending, or nil at the end of the input. A line longer
    /// than `lineLimit` is an error.
    func nextLine() throws -> ArraySlice<UInt8>? {
        // Offsets are kept relative to `position`, since filling may compact the buffer.
        var scanned = 0
        while true {
            if let newline = pending[(position + scanned)...].firstIndex(of: 0x0A) {
                var end = newline
                if end > position, pending[end - 1] == 0x0D { end -= 1 }
                let line = pending[position..<end]
                position = newline + 1
                return line
            }
            scanned = pending.count - position
            if scanned > Self.lineLimit { throw LineTooLong() }
            if finished {
                guard scanned > 0 else { return nil }
                var line = pending[position...]
                if line.last == 0x0D { line = line.dropLast() }
                position = pending.count
                return line
            }
            try fill(minimum: scanned + 1)
        }
    }

    /// The next byte, or nil at the end.
    func nextByte() throws -> UInt8? {
        if position >= pending.count {
            try fill(minimum: 1)
            if position >= pending.count { return nil }
        }
        let byte = pending[position]
        position += 1
        return byte
    }

    /// Reads until at least `minimum` unread bytes are buffered or the input ends.
    private func fill(minimum: Int) throws {
        while pending.count - position < minimum && !finished {
            if position > 0 && position >= pending.count / 2 {
                pending.removeFirst(position)
                position = 0
            }
            guard let handle else {
                finished = true
                return
            }
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
            } catch {
                throw CaseTrackError.input("\(name): cannot read: \(error.localizedDescription)")
            }
            if chunk.isEmpty {
                finished = true
                if let converter { pending += try converter.finish() }
            } else if let converter {
                pending += try converter.convert(chunk)
            } else {
                pending += chunk
            }
        }
    }

    /// The rest of the input, read in chunks; nil once it passes `limit` bytes.
    func remaining(limit: Int) throws -> [UInt8]? {
        while !finished {
            try fill(minimum: pending.count - position + Self.chunkSize)
            if pending.count - position > limit { return nil }
        }
        guard pending.count - position <= limit else { return nil }
        defer { position = pending.count }
        return Array(pending[position...])
    }

    /// The rest of the input, when it is all in memory.
    var remainingInMemory: Data? {
        handle == nil ? Data(pending[position...]) : nil
    }

    /// Copies the rest of the input, as UTF-8, into a private temporary file (for readers that
    /// need a file of their own, such as the CSV library's stream reader).
    func spoolToTemporaryFile() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("casetrack-import-\(UUID().uuidString).csv")
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let out = FileHandle(forWritingAtPath: url.path)
        else { throw CaseTrackError.input("cannot create a temporary file for \(name)") }
        defer { try? out.close() }
        while true {
            try fill(minimum: Self.chunkSize)
            if position >= pending.count { break }
            out.write(Data(pending[position...]))
            position = pending.count
        }
        return url
    }
}

/// A line past `InputText.lineLimit`.
struct LineTooLong: Error {}

/// Converts GB18030 to UTF-8 chunk by chunk, carrying an incomplete character to the next chunk.
final class GB18030Converter {
    private let descriptor: iconv_t
    private let name: String
    private var carry: [UInt8] = []
    private var offset = 0

    init(name: String) throws {
        self.name = name
        descriptor = iconv_open("UTF-8", "GB18030")
        if descriptor == iconv_t(bitPattern: -1) {
            throw CaseTrackError.input("this system's C library cannot convert GB18030")
        }
    }

    deinit { iconv_close(descriptor) }

    func convert(_ data: Data) throws -> [UInt8] {
        var input = carry + [UInt8](data)
        carry = []
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var produced = 0
        let consumed: Int = try input.withUnsafeMutableBufferPointer { inBuffer in
            try output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                produced = outBuffer.count - outLeft
                if result == -1 && errno == EILSEQ {
                    throw CaseTrackError.input(
                        "\(name): not valid GB18030 at byte \(offset + inBuffer.count - inLeft + 1)")
                }
                return inBuffer.count - inLeft
            }
        }
        offset += consumed
        // EINVAL: the chunk ended inside a character; keep its first bytes for the next chunk.
        carry = Array(input[consumed...])
        input = []
        return Array(output[..<produced])
    }

    func finish() throws -> [UInt8] {
        guard carry.isEmpty else {
            throw CaseTrackError.input("\(name): the file ends inside a GB18030 character")
        }
        return []
    }
}
