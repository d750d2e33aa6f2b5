#ifndef CSTANDARDOUTPUT_H
#define CSTANDARDOUTPUT_H
#include <stddef.h>

/// Swift 6 cannot name C's `stdout` (shared mutable state); these reach it for the CLI, which
/// writes through C's buffered standard output (as `print` does) and must check its errors.

/// fwrite to stdout; returns the number of bytes written.
size_t casetrack_stdout_write(const void *bytes, size_t count);

/// fflush(stdout), then 0 when stdout has seen no error, else the errno of the failure.
int casetrack_stdout_flush(void);

/// fflush(stdout), ignoring errors: the pager may have been quit early.
int casetrack_flush_for_pager(void);

/// On SIGINT, SIGTERM or SIGHUP: removes the given unfinished files (the -o file being written,
/// a database this command created), says on stderr that what was not committed was discarded,
/// and exits 130. Pass NULL to forget one.
void casetrack_cleanup_on_interrupt(int slot, const char *path);

#endif
