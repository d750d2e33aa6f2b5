#define _XOPEN_SOURCE 700
#include <locale.h>
#include <wchar.h>
#include "CDisplayWidth.h"

int casetrack_wcwidth(uint32_t scalar) {
    return wcwidth((wchar_t)scalar);
}

int casetrack_use_utf8_ctype(void) {
    return setlocale(LC_CTYPE, "C.UTF-8") == NULL ? -1 : 0;
}
