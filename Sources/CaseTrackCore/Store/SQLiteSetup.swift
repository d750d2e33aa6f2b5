import CSQLiteSetup

/// Process-wide SQLite settings, made before SQLite starts (it refuses them afterwards).
enum SQLiteSetup {
    /// SQLite's memory statistics take a process-wide lock on every allocation; casetrack never
    /// reads them, and a bulk import allocates millions of times.
    private static let applied: Int32 = casetrack_sqlite_without_memory_statistics()

    /// Called wherever a connection is configured; only the first call does anything.
    static func beforeFirstConnection() {
        _ = applied
    }
}
