#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Turns off SQLite's memory statistics before the first connection opens: they take a
/// process-wide lock on every allocation, which a bulk import makes millions of. Returns
/// SQLite's result code (SQLITE_MISUSE once SQLite has started, when it changes nothing).
/// sqlite3_config takes variable arguments, which Swift cannot call.
int casetrack_sqlite_without_memory_statistics(void);

typedef struct sqlite3 sqlite3;

/// Turns a connection's triggers on (1) or off (0): SQLITE_DBCONFIG_ENABLE_TRIGGER, which
/// sqlite3_db_config takes as variable arguments. Returns the setting after the call (1 or
/// 0), or -1 when SQLite refused it. Changing it makes SQLite prepare the connection's
/// statements again on their next step.
int casetrack_sqlite_enable_triggers(sqlite3 *db, int on);

#endif
