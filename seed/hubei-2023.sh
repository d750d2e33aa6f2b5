#!/bin/sh
# Enters the three seed cases of the 2024 provincial review of 2023 results with casetrack
# commands, into a fresh database. Extra arguments (such as --db PATH) go to every command.
# Usage: seed/hubei-2023.sh [--db PATH]     (CASETRACK=path/to/casetrack to use another binary)
set -eu
ct="${CASETRACK:-casetrack}"
src="湖北日报 2024年5月：全省2023年打击治理电信网络诈骗战果回顾"

"$ct" case add --city 襄阳 --code 1.13 --opened 2023-01-13 --category 电信网络诈骗 \
    --name '襄阳"1.13"电信网络诈骗案' --source "$src" "$@"
"$ct" arrest add '襄阳/1.13@2023' --count 249 "$@"
"$ct" gang add '襄阳/1.13@2023' --count 12 "$@"

"$ct" case add --city 汉川 --code 6406 --year 2023 --category 电信网络诈骗 \
    --name '汉川"6406"专案' --source "$src" "$@"
"$ct" arrest add '汉川/6406@2023' --count 337 "$@"
"$ct" arrest add '汉川/6406@2023' --count 169 --phase extended --note 扩线深挖 "$@"

"$ct" case add --city 鄂州 --code 9.9 --year 2023 --category 电信网络诈骗 \
    --name '鄂州"9.9"诈骗案' --source "$src" "$@"
"$ct" arrest add '鄂州/9.9@2023' --count 197 "$@"
"$ct" link add '鄂州/9.9@2023' --count 7 --note 涉诈犯罪环节 "$@"
