import Foundation
import GRDB

/// The schema of a PostgreSQL register: `schema-postgres.sql`, applied by casetrack to an empty
/// database in one transaction, and the version check every open makes.
enum ServerSchema {
    /// The text of `schema-postgres.sql` as it was when this binary was built.
    static let sql: String = String(decoding: PackageResources.schema_postgres_sql, as: UTF8.self)
    /// The upgrade sections of `schema-postgres.sql` ("-- casetrack upgrade to N" to the next
    /// heading or the end), in order: each brings a register at version N - 1 to N.
    static let upgrades: [(version: Int, sql: String)] = {
        let marker = "-- casetrack upgrade to "
        var sections: [(Int, String)] = []
        var remainder = sql[...]
        while let start = remainder.range(of: marker) {
            let numberEnd = remainder[start.upperBound...].firstIndex(where: \.isNewline) ?? remainder.endIndex
            let version = Int(remainder[start.upperBound..<numberEnd].trimmingCharacters(in: .whitespaces)) ?? 0
            let end = remainder[numberEnd...].range(of: marker)?.lowerBound ?? remainder.endIndex
            sections.append((version, String(remainder[numberEnd..<end])))
            remainder = remainder[end...]
        }
        return sections
    }()

    /// The version `schema-postgres.sql` sets: its last upgrade's, or 1.
    static let version = upgrades.last?.version ?? 1

    /// Checks (and for writing commands creates) the register; true when this open created it.
    static func prepare(_ session: ServerSession, mode: CaseStore.OpenMode) throws -> Bool {
        do {
            if let version = try installedVersion(session) {
                try check(version, session)
                if version < Self.version { try upgrade(session, mode: mode) }
                return false
            }
            guard mode == .creating else { throw CaseTrackError.noDatabase(path: session.address.description) }
            try session.execute("BEGIN", [])
            do {
                // Two first writers at once: the second waits here and then finds the schema.
                try session.execute("SELECT pg_advisory_xact_lock(7364218)", [])
                if let version = try installedVersion(session) {
                    try session.execute("ROLLBACK", [])
                    try check(version, session)
                    return false
                }
                let others = try session.values(
                    String.self,
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1 LIMIT 5")
                if !others.isEmpty {
                    throw CaseTrackError.notACaseTrackDatabase(
                        path: session.address.description, reason: "it holds other tables: \(others.joined(separator: ", "))")
                }
                try session.script(sql)
                try session.execute("COMMIT", [])
                return true
            } catch {
                try? session.execute("ROLLBACK", [])
                throw error
            }
        } catch let error as ServerError where error.sqlState == "42501" {
            throw CaseTrackError.notPermitted(
                "role \(session.address.user) may not create the register in \(session.address.description) (\(error.message)): "
                    + "create it as the database's owner (casetrack init --db postgresql://OWNER@…), then give the bureaus their rights with casetrack admin grant-bureau")
        } catch let error as ServerError {
            throw CaseTrackError.storage("cannot prepare the register \(session.address.description): \(error.message)")
        }
    }

    /// Brings an older register to this version in one transaction (only its owner can: a
    /// bureau's role reads an older register as it is, and is told to ask the owner to write).
    private static func upgrade(_ session: ServerSession, mode: CaseStore.OpenMode) throws {
        var installed = 0
        try session.execute("BEGIN", [])
        do {
            try session.execute("SELECT pg_advisory_xact_lock(7364218)", [])
            installed = try installedVersion(session) ?? 0
            for step in upgrades where step.version > installed {
                try session.script(step.sql)
            }
            try session.execute("COMMIT", [])
        } catch let error as ServerError where error.sqlState == "42501" {
            try? session.execute("ROLLBACK", [])
            if mode == .reading { return }
            throw CaseTrackError.storage(
                "the register \(session.address.description) has schema \(installed), older than this casetrack's \(version), "
                    + "and role \(session.address.user) may not upgrade it: its owner must run casetrack on it once; nothing was written")
        } catch {
            try? session.execute("ROLLBACK", [])
            throw error
        }
    }

    /// Drops everything `schema-postgres.sql` created, in one transaction: views, tables and
    /// functions by the names its statements give (the database held none of ours before).
    static func remove(_ session: ServerSession) throws {
        var drops: [String] = []
        for statement in ServerSchemaCheck.statements {
            if let view = statement.firstMatch(of: /^CREATE VIEW (\w+)/) { drops.append("DROP VIEW IF EXISTS \(view.1) CASCADE") }
        }
        for statement in ServerSchemaCheck.statements {
            if let table = statement.firstMatch(of: /^CREATE TABLE (\w+)/) { drops.append("DROP TABLE IF EXISTS \(table.1) CASCADE") }
        }
        for function in ServerSchemaCheck.functions { drops.append("DROP FUNCTION IF EXISTS \(function.name) CASCADE") }
        try session.execute("BEGIN", [])
        do {
            for drop in drops { try session.execute(drop, []) }
            try session.execute("COMMIT", [])
        } catch {
            try? session.execute("ROLLBACK", [])
            throw error
        }
    }

    private static func installedVersion(_ session: ServerSession) throws -> Int? {
        guard try session.value(String.self, "SELECT to_regclass('casetrack_schema')::text") != nil else { return nil }
        return try session.value(Int.self, "SELECT max(version) FROM casetrack_schema") ?? 0
    }

    private static func check(_ version: Int, _ session: ServerSession) throws {
        if version > Self.version {
            throw CaseTrackError.newerDatabase(path: session.address.description, unknownMigrations: ["server schema \(version)"])
        }
    }
}
