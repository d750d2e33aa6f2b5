import Foundation

extension CaseStore {
    /// Copies every case of `source` into this register by the import's rules: a case this
    /// register lacks is created, one it holds changes as far as the source states (a field
    /// empty in the source leaves this register's as it is), and result
    /// rows that differ from the register's are a conflict (refused unless `options.onConflict`
    /// says otherwise: `file` puts the source's rows in their place, `keep` leaves them). One
    /// transaction, one change set here. The source's history stays in the source.
    public func copyCases(
        from source: CaseStore, options: ImportOptions = ImportOptions(), planned: ((CaseChange) -> Void)? = nil
    ) throws -> ImportSummary {
        // The cases travel as the export's JSONL through a private temporary file, so that a
        // register of any size copies in flat memory.
        let folder = FileManager.default.temporaryDirectory.path
        let path = "\(folder)/casetrack-copy-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CaseTrackError.storage("cannot create a temporary file in \(folder)") }
        defer { unlink(path) }
        do {
            try source.exportDocuments(matching: CaseFilter(), format: .jsonl) { text in
                try handle.write(contentsOf: Data(Self.statedOnly(text).utf8))
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        var options = options
        options.format = .jsonl
        options.rowsConflict = true
        let reader = try DocumentReader(path: path, format: .jsonl, encoding: .utf8)
        reader.fileName = source.path
        return try importDocuments(from: reader, options: options, progress: nil, planned: planned)
    }

    /// Export lines without their empty fields: a field the source left empty is not a
    /// statement that the destination's must be cleared (an import clears a field given as null).
    static func statedOnly(_ lines: String) -> String {
        lines.split(separator: "\n", omittingEmptySubsequences: true).map { line -> String in
            guard line.contains(":null"),
                var object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else { return String(line) }
            object = object.filter { !($0.value is NSNull) }
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
                return String(line)
            }
            return String(decoding: data, as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }
}
