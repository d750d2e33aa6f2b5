#!/bin/sh
# casetrack's help as swift-argument-parser's generate-manual reads it (`make man`). That tool
# drops every non-ASCII character (专案, 襄阳/1.13, →), so each one crosses it spelled as
# @U+XXXX@, and `make man` turns those into roff's \[uXXXX] escapes.
set -e
"${CASETRACK_BIN:?set CASETRACK_BIN to the casetrack binary}" "$@" | perl -CS -pe 's/([^\x00-\x7F])/sprintf("\@U+%04X\@", ord $1)/ge'
