#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "CStandardOutput.h"

size_t casetrack_stdout_write(const void *bytes, size_t count) {
    return fwrite(bytes, 1, count, stdout);
}

int casetrack_stdout_flush(void) {
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout)) return 0;
    int code = errno;
    if (ferror(stdout)) {
        /* The failing write happened earlier, inside a buffered write whose errno is gone:
           one more byte straight to the descriptor tells why (EPIPE, ENOSPC, EFBIG...). */
        clearerr(stdout);
        if (write(STDOUT_FILENO, "\n", 1) < 0) code = errno;
    }
    return code == 0 ? EIO : code;
}

int casetrack_flush_for_pager(void) {
    int result = fflush(stdout);
    clearerr(stdout);
    return result;
}

static char cleanup_paths[2][4096];
static volatile sig_atomic_t cleanup_set[2];

static void on_interrupt(int signal_number) {
    (void)signal_number;
    for (int slot = 0; slot < 2; slot++) {
        if (cleanup_set[slot]) unlink(cleanup_paths[slot]);
    }
    /* A signal may arrive just after the command's commit (while the log is checkpointed or the
       summary printed): the message must not say that a committed change was discarded. */
    static const char message[] =
        "casetrack: interrupted; whatever the command had not committed was discarded "
        "(`casetrack log` shows the last change that was)\n";
    ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    _exit(130);
}

void casetrack_cleanup_on_interrupt(int slot, const char *path) {
    static int installed = 0;
    if (slot < 0 || slot > 1) return;
    if (path == NULL || strlen(path) >= sizeof cleanup_paths[slot]) {
        cleanup_set[slot] = 0;
    } else {
        cleanup_set[slot] = 0;
        strcpy(cleanup_paths[slot], path);
        cleanup_set[slot] = 1;
    }
    if (!installed) {
        installed = 1;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = on_interrupt;
        sigaction(SIGINT, &action, NULL);
        sigaction(SIGTERM, &action, NULL);
        sigaction(SIGHUP, &action, NULL);
    }
}
