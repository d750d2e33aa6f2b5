#include <errno.h>
#include <stdio.h>
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
