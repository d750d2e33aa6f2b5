#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Turns off SQLite's memory statistics before the first connection opens: they take a
/// process-wide lock on every allocation, which a bulk import makes millions of. Returns
/// SQLite's result code (SQLITE_MISUSE once SQLite has started, when it changes nothing).
/// sqlite3_config takes variable arguments, which Swift cannot call.
int casetrack_sqlite_without_memory_statistics(void);

#endif
