import Foundation

extension CaseStore {
    /// Copies every case of `source` into this register by the import's rules: a case this
    /// register lacks is created, one it holds changes as far as the source states, and result
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
                try handle.write(contentsOf: Data(text.utf8))
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        var options = options
        options.format = .jsonl
        options.rowsConflict = true
        return try importDocuments(from: path, options: options, planned: planned)
    }
}
