import Foundation
import GRDB

/// What `check` verifies of a PostgreSQL register's own rules, and what `check --repair` puts
/// back: every function, trigger and row-level security policy `schema-postgres.sql` creates
/// must be there, unaltered and enabled, or changes could go unrecorded or unguarded. The
/// expected definitions are read from the schema's own statements, so nothing is listed twice.
enum ServerSchemaCheck {
    /// A function of the schema: its name, its body as the server keeps it (`prosrc`), and the
    /// statement that creates it.
    struct Function { var name: String; var body: String; var statement: String }
    /// A trigger of the schema: its name, table, the function it runs, and its statement.
    struct Trigger { var name: String; var table: String; var function: String; var statement: String }
    /// A row-level security policy: its name, table and statement.
    struct Policy { var name: String; var table: String; var statement: String }

    static let statements = ServerSession.statements(ServerSchema.sql)

    /// The functions as the schema leaves them: an upgrade section that re-creates one (CREATE OR
    /// REPLACE) replaces the earlier definition.
    static let functions: [Function] = {
        var found: [Function] = []
        for statement in statements {
            guard let match = statement.firstMatch(of: /^CREATE (?:OR REPLACE )?FUNCTION (\w+)\(/),
                let open = statement.range(of: "AS $$"), let close = statement.range(of: "$$", options: .backwards),
                open.upperBound <= close.lowerBound
            else { continue }
            let function = Function(
                name: String(match.1), body: String(statement[open.upperBound..<close.lowerBound]),
                statement: statement.replacingOccurrences(of: "CREATE OR REPLACE FUNCTION", with: "CREATE FUNCTION", options: .anchored))
            found.removeAll { $0.name == function.name }
            found.append(function)
        }
        return found
    }()

    /// The triggers as the schema leaves them: an upgrade section that drops one removes it, and
    /// one that re-creates it (under the same name) replaces the earlier definition.
    static let triggers: [Trigger] = {
        var found: [Trigger] = []
        for statement in statements {
            if let dropped = statement.firstMatch(of: /^DROP TRIGGER (\w+) ON (\w+)/) {
                found.removeAll { $0.name == dropped.1 && $0.table == dropped.2 }
                continue
            }
            guard let match = statement.firstMatch(
                of: /^CREATE TRIGGER (\w+) .* ON (\w+) (?:REFERENCING .* )?FOR EACH (?:ROW|STATEMENT) EXECUTE FUNCTION (\w+)\(/)
            else { continue }
            let trigger = Trigger(name: String(match.1), table: String(match.2), function: String(match.3), statement: statement)
            found.removeAll { $0.name == trigger.name && $0.table == trigger.table }
            found.append(trigger)
        }
        return found
    }()

    static let policies: [Policy] = statements.compactMap { statement in
        guard let match = statement.firstMatch(of: /^CREATE POLICY (\w+) ON (\w+)\s/) else { return nil }
        return Policy(name: String(match.1), table: String(match.2), statement: statement)
    }

    /// The tables whose rows only some roles may write.
    static let guardedTables = ["cases", "arrests", "gangs", "links"]

    /// One problem per missing, altered or disabled function, trigger or policy.
    static func problems(_ db: some SQLSession) throws -> [String] {
        try found(db).map(\.problem)
    }

    /// Puts back what `problems` finds, from the schema's own statements; returns what it re-created.
    static func repair(_ db: some SQLSession) throws -> [String] {
        var repaired: [String] = []
        // The functions are re-created as schema-postgres.sql creates them: resolving names in
        // the register's schema only (SET search_path FROM CURRENT).
        try db.execute("SELECT set_config('search_path', quote_ident(current_schema()) || ', pg_temp', true)", [])
        for finding in try found(db) {
            for statement in finding.fix { try db.execute(statement, []) }
            repaired.append(finding.what)
        }
        return repaired
    }

    private struct Finding { var problem: String; var what: String; var fix: [String] }

    private static func found(_ db: some SQLSession) throws -> [Finding] {
        var findings: [Finding] = []
        let namespace = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
        var bodies: [String: String] = [:]
        for row in try db.rows("SELECT CAST(proname AS TEXT) AS name, prosrc FROM pg_proc WHERE pronamespace = \(namespace)", []) {
            bodies[row["name"]] = row["prosrc"]
        }
        for function in functions where bodies[function.name] != function.body {
            let replace = function.statement.replacingOccurrences(of: "CREATE FUNCTION", with: "CREATE OR REPLACE FUNCTION", options: .anchored)
            findings.append(Finding(
                problem: bodies[function.name] == nil
                    ? "function \(function.name) is missing" : "function \(function.name) differs from schema-postgres.sql",
                what: "function \(function.name)", fix: [replace]))
        }
        var present: [String: (function: String, enabled: String)] = [:]
        for row in try db.rows(
            """
            SELECT CAST(t.tgname AS TEXT) AS name, CAST(c.relname AS TEXT) AS tbl, CAST(p.proname AS TEXT) AS function,
                   CAST(t.tgenabled AS TEXT) AS enabled
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE c.relnamespace = \(namespace) AND NOT t.tgisinternal
            """, [])
        {
            present["\(row["tbl"] as String) \(row["name"] as String)"] = (row["function"], row["enabled"])
        }
        for trigger in triggers {
            let problem: String
            switch present["\(trigger.table) \(trigger.name)"] {
            case nil: problem = "trigger \(trigger.name) on \(trigger.table) is missing"
            case let found? where found.enabled == "D": problem = "trigger \(trigger.name) on \(trigger.table) is disabled"
            case let found? where found.function != trigger.function:
                problem = "trigger \(trigger.name) on \(trigger.table) runs \(found.function), not \(trigger.function)"
            default: continue
            }
            findings.append(Finding(
                problem: problem, what: "trigger \(trigger.name) on \(trigger.table)",
                fix: ["DROP TRIGGER IF EXISTS \(trigger.name) ON \(trigger.table)", trigger.statement]))
        }
        let secured = Set(try db.values(
            String.self,
            "SELECT CAST(relname AS TEXT) FROM pg_class WHERE relnamespace = \(namespace) AND relrowsecurity AND relkind = 'r'"))
        for table in guardedTables where !secured.contains(table) {
            findings.append(Finding(
                problem: "row-level security is off on \(table)", what: "row-level security on \(table)",
                fix: ["ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY"]))
        }
        let policies = Set(try db.values(
            String.self, "SELECT CAST(tablename AS TEXT) || ' ' || CAST(policyname AS TEXT) FROM pg_policies WHERE schemaname = current_schema()"))
        for policy in Self.policies where !policies.contains("\(policy.table) \(policy.name)") {
            findings.append(Finding(
                problem: "policy \(policy.name) on \(policy.table) is missing", what: "policy \(policy.name) on \(policy.table)",
                fix: [policy.statement]))
        }
        return findings
    }
}
