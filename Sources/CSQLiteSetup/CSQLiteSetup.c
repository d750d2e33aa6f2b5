#include <sqlite3.h>
#include "CSQLiteSetup.h"

int casetrack_sqlite_without_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int casetrack_sqlite_enable_triggers(sqlite3 *db, int on) {
    int now = -1;
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on, &now);
    return rc == SQLITE_OK ? now : -1;
}
