#ifndef CDISPLAYWIDTH_H
#define CDISPLAYWIDTH_H
#include <stdint.h>

/// Terminal column width of one Unicode scalar (glibc wcwidth): 2 for CJK, 1 for ASCII,
/// 0 for combining marks, -1 for control characters or before a UTF-8 locale is set.
int casetrack_wcwidth(uint32_t scalar);

/// Switches LC_CTYPE to C.UTF-8 so that wcwidth knows non-ASCII scalars. Returns 0 on success.
int casetrack_use_utf8_ctype(void);

#endif
