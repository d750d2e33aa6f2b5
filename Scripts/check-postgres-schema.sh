#!/usr/bin/env bash
# Scripts/check-postgres-schema.sh — checks schema-postgres.sql on
# the server named in CASETRACK_TEST_POSTGRES (a superuser's URL, as Scripts/with-postgres.sh
# gives): run it as `Scripts/with-postgres.sh Scripts/check-postgres-schema.sh`.
#
# It applies the schema to a database of its own, then checks the vocabularies against
# schema.sql, history and change sets, the totals against a recomputation, the append-only
# rules, bureau write rights and totals under 16 concurrent writers. Every expectation is
# asserted; the script exits 1 when any fails. The database and the roles it creates are
# dropped on exit. Without a server it says why and exits 0 when CASETRACK_TEST_POSTGRES_SKIP
# gives a reason (the checks are skipped), 2 otherwise.
set -u
cd "$(dirname "$0")/.."
schema=schema-postgres.sql
sqlite_schema=Sources/CaseTrackCore/Schema/schema.sql

if [ -z "${CASETRACK_TEST_POSTGRES:-}" ]; then
    if [ -n "${CASETRACK_TEST_POSTGRES_SKIP:-}" ]; then
        echo "check-postgres-schema: skipped: $CASETRACK_TEST_POSTGRES_SKIP" >&2
        exit 0
    fi
    echo "check-postgres-schema: CASETRACK_TEST_POSTGRES is not set (run under Scripts/with-postgres.sh)" >&2
    exit 2
fi

# postgresql://USER@HOST:PORT/DB?... → HOST:PORT, to connect as other roles to our database.
rest=${CASETRACK_TEST_POSTGRES#*://}
rest=${rest#*@}
hostport=${rest%%/*}
admin=${CASETRACK_TEST_POSTGRES%%://*}://${CASETRACK_TEST_POSTGRES#*://}
admin_user=${CASETRACK_TEST_POSTGRES#*://}
admin_user=${admin_user%%@*}
admin_user=${admin_user%%:*}
suffix=$$
db=casetrack_check_$suffix
xy=xiangyang_$suffix       # 襄阳's bureau
zy=zaoyang_$suffix         # 枣阳's (a county)
prov=hubei_$suffix         # the province
none=nobureau_$suffix      # granted, then its grant removed
roles="$xy $zy $prov $none"

url() { echo "postgresql://$1@$hostport/$db?application_name=check"; }

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# q [ROLE] SQL: the results of SQL's statements, run as one transaction, unaligned; any error
# fails the check and yields ERROR.
q() {
    local role=$admin_user
    if [ "$#" -eq 2 ]; then role=$1; shift; fi
    local out
    if ! out=$(printf '%s\n' "$1" | psql -X -q -At -v ON_ERROR_STOP=1 -1 -d "$(url "$role")" -f - 2>&1); then
        fail "unexpected error as $role: $out (in: $1)"
        echo ERROR
        return 1
    fi
    printf '%s\n' "$out"
}

# expect NAME EXPECTED ACTUAL
expect() {
    if [ "$2" = "$3" ]; then pass; else fail "$1: expected [$2], got [$3]"; fi
}

# refused NAME ROLE SQLSTATE MESSAGE-START SQL: SQL (one transaction) fails as ROLE with
# SQLSTATE and a message beginning with MESSAGE-START.
refused() {
    local name=$1 role=$2 state=$3 message=$4 sql=$5 out
    if out=$(printf '%s\n' "$sql" | psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -1 -d "$(url "$role")" -f - 2>&1); then
        fail "$name: succeeded, expected $state $message"
        return
    fi
    case "$out" in
        *"ERROR:  $state: $message"*) pass ;;
        *) fail "$name: expected $state [$message...], got: $(printf '%s' "$out" | head -n 2)" ;;
    esac
}

cleanup() {
    psql -X -q -d "$admin" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
    for role in $roles; do psql -X -q -d "$admin" -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1; done
}
trap cleanup EXIT

psql -X -q -v ON_ERROR_STOP=1 -d "$admin" -c "CREATE DATABASE $db" >/dev/null || { echo "check-postgres-schema: cannot create database $db" >&2; exit 1; }

# MARK: The schema applies as one transaction, with psql as casetrack runs it.
if out=$(psql -X -q -v ON_ERROR_STOP=1 -1 -d "$(url "$admin_user")" -f "$schema" 2>&1); then pass; else
    fail "the schema did not apply: $out"; echo "check-postgres-schema: $passed passed, $failed failed" >&2; exit 1
fi
if [ -n "$out" ]; then fail "applying the schema printed: $out"; fi
expect "schema version" 3 "$(q "SELECT version FROM casetrack_schema")"
expect "no change sets after seeding" 0 "$(q "SELECT count(*) FROM change_sets")"
expect "no history after seeding" 0 "$(q "SELECT count(*) FROM history")"
expect "seed rows carry no change set" 0 "$(q "SELECT (SELECT count(*) FROM cities WHERE change_set IS NOT NULL)
    + (SELECT count(*) FROM city_aliases WHERE change_set IS NOT NULL) + (SELECT count(*) FROM categories WHERE change_set IS NOT NULL)
    + (SELECT count(*) FROM category_aliases WHERE change_set IS NOT NULL) + (SELECT count(*) FROM link_types WHERE change_set IS NOT NULL)
    + (SELECT count(*) FROM link_type_aliases WHERE change_set IS NOT NULL)")"

# MARK: The vocabularies are schema.sql's, row for row.
vocabulary_sql="
SELECT 'city|' || code || '|' || short_name || '|' || full_name || '|' || coalesce(pinyin, '') || '|' || coalesce(parent, '') || '|' || level FROM cities
UNION ALL SELECT 'city_alias|' || alias || '|' || city FROM city_aliases
UNION ALL SELECT 'category|' || name FROM categories
UNION ALL SELECT 'category_alias|' || alias || '|' || category FROM category_aliases
UNION ALL SELECT 'link_type|' || name FROM link_types
UNION ALL SELECT 'link_type_alias|' || alias || '|' || link_type FROM link_type_aliases"
pg_vocabulary=$(q "$vocabulary_sql" | LC_ALL=C sort)
if command -v sqlite3 >/dev/null 2>&1; then
    sqlite_vocabulary=$( { cat "$sqlite_schema"; echo "$vocabulary_sql;"; } | sqlite3 :memory: | LC_ALL=C sort)
    expect "the vocabularies are schema.sql's" "$sqlite_vocabulary" "$pg_vocabulary"
else
    echo "check-postgres-schema: sqlite3 is missing: the vocabularies are compared by count only" >&2
    expect "cities" 116 "$(q "SELECT count(*) FROM cities")"
fi
expect "襄阳's code" 420600 "$(q "SELECT code FROM cities WHERE short_name = '襄阳'")"
expect "枣阳 is under 襄阳" 420600 "$(q "SELECT parent FROM cities WHERE short_name = '枣阳'")"
refused "aliases are unique whatever their case" "$admin_user" 23505 "duplicate key value violates unique constraint \"category_aliases_nocase\"" \
    "INSERT INTO category_aliases (alias, category) VALUES ('FRAUD', '毒品')"
refused "pinyin is unique" "$admin_user" 23505 "duplicate key value violates unique constraint \"cities_pinyin_nocase\"" \
    "INSERT INTO cities (code, short_name, full_name, pinyin, level) VALUES ('429999', '测', '测试', 'wuhan', 'county')"
refused "pinyin is lower case" "$admin_user" 23514 "new row for relation \"cities\" violates check constraint" \
    "INSERT INTO cities (code, short_name, full_name, pinyin, level) VALUES ('429999', '测', '测试', 'Ceshi', 'county')"

# MARK: The rules of the columns.
refused "a day that does not exist" "$admin_user" 23514 'new row for relation "cases" violates check constraint' \
    "INSERT INTO cases (city, code, year, opened) VALUES ('420600', 'd1', 2023, '2023-02-29')"
refused "a month that does not exist" "$admin_user" 23514 'new row for relation "cases" violates check constraint' \
    "INSERT INTO cases (city, code, year, opened) VALUES ('420600', 'd1', 2023, '2023-13')"
refused "a malformed date" "$admin_user" 23514 'new row for relation "arrests" violates check constraint' \
    "INSERT INTO cases (city, code, year) VALUES ('420600', 'd0', 2023); INSERT INTO arrests (case_id, count, date) SELECT id, 1, '2023/05' FROM cases WHERE code = 'd0'"
refused "the year is the opening year" "$admin_user" 23514 'new row for relation "cases" violates check constraint' \
    "INSERT INTO cases (city, code, year, opened) VALUES ('420600', 'd1', 2023, '2022-05')"
refused "no closing before opening" "$admin_user" 23514 'new row for relation "cases" violates check constraint' \
    "INSERT INTO cases (city, code, year, opened, closed, status) VALUES ('420600', 'd1', 2023, '2023-05-10', '2023-04', 'closed')"
refused "closed means status closed" "$admin_user" 23514 'new row for relation "cases" violates check constraint' \
    "INSERT INTO cases (city, code, year, closed) VALUES ('420600', 'd1', 2023, '2024')"
refused "a code is trimmed" "$admin_user" 23514 'new row for relation "cases" violates check constraint' \
    "INSERT INTO cases (city, code, year) VALUES ('420600', ' d1', 2023)"
expect "a leap day, a month, a year" "3" "$(q "INSERT INTO cases (city, code, year, opened) VALUES ('420600', 'd2', 2024, '2024-02-29'), ('420600', 'd3', 2024, '2024-02'), ('420600', 'd4', 2024, '2024') RETURNING 1" | wc -l | tr -d ' ')"
expect "same day closing" "1" "$(q "INSERT INTO cases (city, code, year, opened, closed, status) VALUES ('420600', 'd5', 2024, '2024-03', '2024-03-01', 'closed') RETURNING 1")"
q "DELETE FROM cases WHERE code LIKE 'd%'" >/dev/null

# The totals, recomputed from the result tables and the cases in a different way from the
# triggers': rows of case_totals that differ from the recomputation, and rows of report_totals
# that differ from the rollup of case_totals.
totals_mismatches="
WITH contributions AS (
    SELECT c.id AS case_id, coalesce(c.opened, c.year::text) AS period, 1 AS cases, 0 AS ai, 0 AS ae, 0 AS g, 0 AS l FROM cases c
    UNION ALL SELECT a.case_id, coalesce(a.date, c.opened, c.year::text), 0, CASE WHEN a.phase = 'initial' THEN a.count ELSE 0 END,
        CASE WHEN a.phase = 'extended' THEN a.count ELSE 0 END, 0, 0 FROM arrests a JOIN cases c ON c.id = a.case_id
    UNION ALL SELECT g.case_id, coalesce(g.date, c.opened, c.year::text), 0, 0, 0, g.count, 0 FROM gangs g JOIN cases c ON c.id = g.case_id
    UNION ALL SELECT l.case_id, coalesce(l.date, c.opened, c.year::text), 0, 0, 0, 0, l.count FROM links l JOIN cases c ON c.id = l.case_id
), expected AS (
    SELECT x.case_id, left(x.period, 4)::int AS year, CASE WHEN length(x.period) > 4 THEN substr(x.period, 6, 2)::int ELSE 0 END AS month,
           c.city, c.category, sum(x.cases)::int AS cases, sum(x.ai) AS ai, sum(x.ae) AS ae, sum(x.g) AS g, sum(x.l) AS l
    FROM contributions x JOIN cases c ON c.id = x.case_id GROUP BY 1, 2, 3, 4, 5
), actual AS (
    SELECT case_id, year, month, city, category, cases, arrests_initial, arrests_extended, gangs, links FROM case_totals
), rollup AS (
    SELECT year, month, city, coalesce(category, '') AS category, sum(cases) AS cases, sum(arrests_initial) AS ai,
           sum(arrests_extended) AS ae, sum(gangs) AS g, sum(links) AS l
    FROM case_totals GROUP BY 1, 2, 3, 4
), report AS (
    SELECT year, month, city, category, cases, arrests_initial, arrests_extended, gangs, links FROM report_totals
)
SELECT (SELECT count(*) FROM ((SELECT * FROM expected EXCEPT ALL SELECT * FROM actual) UNION ALL (SELECT * FROM actual EXCEPT ALL SELECT * FROM expected)) d)
     + (SELECT count(*) FROM ((SELECT * FROM rollup EXCEPT ALL SELECT * FROM report) UNION ALL (SELECT * FROM report EXCEPT ALL SELECT * FROM rollup)) d)
     + (SELECT count(*) FROM case_totals WHERE cases = 0 AND arrests_initial = 0 AND arrests_extended = 0 AND gangs = 0 AND links = 0)
     + (SELECT count(*) FROM report_totals WHERE cases = 0 AND arrests_initial = 0 AND arrests_extended = 0 AND gangs = 0 AND links = 0)"
totals_exact() { expect "totals exact ($1)" 0 "$(q "$totals_mismatches")"; }
totals_exact "after the refused and removed cases"

# MARK: A transaction from outside casetrack gets exactly one change set.
before=$(q "SELECT coalesce(max(id), 0) FROM change_sets")
q "INSERT INTO cases (city, code, year, opened, category, name) VALUES ('420600', '1.13', 2023, '2023-05', '电信网络诈骗', '云端');
   INSERT INTO arrests (case_id, count) SELECT id, 3 FROM cases WHERE code = '1.13';
   INSERT INTO arrests (case_id, count, phase, date) SELECT id, 4, 'extended', '2023-07-02' FROM cases WHERE code = '1.13';
   INSERT INTO gangs (case_id, count, name, date) SELECT id, 2, '甲团伙', '2023' FROM cases WHERE code = '1.13';
   INSERT INTO links (case_id, count, type) SELECT id, 5, '两卡' FROM cases WHERE code = '1.13';
   UPDATE cases SET note = '首次' WHERE code = '1.13'" >/dev/null
expect "one outside change set for the transaction" "1|outside casetrack (check)||$admin_user|t" \
    "$(q "SELECT count(*) OVER (), command, os_user, db_role, open FROM change_sets WHERE id > $before")"
outside=$(q "SELECT max(id) FROM change_sets")
case_id=$(q "SELECT id FROM cases WHERE code = '1.13'")
expect "every row of the transaction carries it" "5" "$(q "SELECT (SELECT count(*) FROM cases WHERE change_set = $outside) + (SELECT count(*) FROM arrests WHERE change_set = $outside)
    + (SELECT count(*) FROM gangs WHERE change_set = $outside) + (SELECT count(*) FROM links WHERE change_set = $outside)
    + (SELECT count(*) FROM history WHERE change_set = $outside)")"
expect "an update within the change set that wrote the row files nothing (one version per change set)" "" \
    "$(q "SELECT action, change_set, valid_from, image->>'name', image->>'note' FROM history WHERE table_name = 'cases' AND row_id = $case_id")"
expect "the case's totals by period" "2023|0|0|0|0|2|0
2023|5|1|3|0|0|5
2023|7|0|0|4|0|0" "$(q "SELECT year, month, cases, arrests_initial, arrests_extended, gangs, links FROM case_totals WHERE case_id = $case_id ORDER BY year, month")"
expect "the rollup" "2023|0|420600|电信网络诈骗|0|0|0|2|0
2023|5|420600|电信网络诈骗|1|3|0|0|5
2023|7|420600|电信网络诈骗|0|0|4|0|0" "$(q "SELECT * FROM report_totals ORDER BY year, month")"
expect "cases_v" "襄阳\"1.13\"|襄阳|420600|襄阳|7|3|4|2|5" "$(q "SELECT ref, city, city_code, prefecture, arrests, arrests_initial, arrests_extended, gangs, links FROM cases_v WHERE id = $case_id")"
expect "results_v" "arrest|3|2023|
arrest|4|2023|extended
gang|2|2023|
link|5|2023|" "$(q "SELECT kind, count, year, CASE WHEN phase = 'extended' THEN phase ELSE '' END FROM results_v WHERE case_id = $case_id ORDER BY kind, count")"
expect "totals_v" "2023-05|2023-07|2023-unknown" "$(q "SELECT string_agg(period, '|' ORDER BY period) FROM totals_v WHERE case_id = $case_id")"
totals_exact "after the first case"

# Each statement of its own (psql's autocommit) is its own transaction, with its own change set.
before=$(q "SELECT max(id) FROM change_sets")
q "UPDATE cases SET name = '云端行动' WHERE id = $case_id" >/dev/null
q "UPDATE arrests SET count = 6 WHERE case_id = $case_id AND phase = 'initial'" >/dev/null
expect "two transactions, two change sets" 2 "$(q "SELECT count(*) FROM change_sets WHERE id > $before")"

# MARK: casetrack's own change sets.
begun=$(q "SELECT casetrack_begin('alice', 'case edit') FROM (SELECT 1) s;" | head -n 1)
out=$(q "SELECT casetrack_begin('alice', 'case edit');
         UPDATE cases SET status = 'closed', closed = '2024-01' WHERE id = $case_id;
         SELECT casetrack_finish(current_setting('casetrack.change_set')::bigint);")
expect "casetrack_finish says the change set changed something" "t" "$(printf '%s\n' "$out" | tail -n 1)"
mine=$(printf '%s\n' "$out" | head -n 1)
expect "casetrack_begin's change set" "alice|case edit|$admin_user|f" "$(q "SELECT os_user, command, db_role, open FROM change_sets WHERE id = $mine")"
expect "the write carries it" "$mine" "$(q "SELECT change_set FROM cases WHERE id = $case_id")"
expect "casetrack_begin opens no second change set" 0 "$(q "SELECT count(*) FROM change_sets WHERE id > $mine")"
expect "a change set that changed nothing says so" "f" "$(q "SELECT casetrack_begin('alice', 'case edit'); UPDATE cases SET note = note WHERE id = $case_id; SELECT casetrack_finish(current_setting('casetrack.change_set')::bigint);" | tail -n 1)"
expect "the begun change set that wrote nothing stays empty" 0 "$(q "SELECT count(*) FROM history WHERE change_set = $begun")"
undo_set=$(q "SELECT casetrack_begin_undo('alice', 'undo', $mine);" | head -n 1)
expect "an undo's change set names the change set it reverts" "alice|undo|$mine" "$(q "SELECT os_user, command, undoes FROM change_sets WHERE id = $undo_set")"
refused "an undo of no change set is refused" "$admin_user" P0001 "there is no change set 999999" "SELECT casetrack_begin_undo('alice', 'undo', 999999)"

# MARK: History.
history_count=$(q "SELECT count(*) FROM history")
updated_at=$(q "SELECT updated_at FROM cases WHERE id = $case_id")
q "UPDATE cases SET name = name, note = note WHERE id = $case_id" >/dev/null
expect "an update that changes nothing writes no history" "$history_count" "$(q "SELECT count(*) FROM history")"
expect "nor touches updated_at" "$updated_at" "$(q "SELECT updated_at FROM cases WHERE id = $case_id")"
sleep 0.01
q "UPDATE cases SET note = '第二次' WHERE id = $case_id" >/dev/null
expect "a real update refreshes updated_at" "t" "$(q "SELECT updated_at > '$updated_at' AND updated_at ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' FROM cases WHERE id = $case_id")"
expect "the old image, keyed by column, without change_set" "update|cases|$case_id|$case_id|$mine|首次|f|t" \
    "$(q "SELECT action, table_name, row_id, case_id, valid_from, image->>'note', image ? 'change_set', image ? 'updated_at' FROM history ORDER BY id DESC LIMIT 1")"
expect "the row carries the change set that changed it" "t" "$(q "SELECT c.change_set = h.change_set FROM cases c, (SELECT change_set FROM history ORDER BY id DESC LIMIT 1) h WHERE c.id = $case_id")"
gang=$(q "SELECT id FROM gangs WHERE case_id = $case_id")
q "DELETE FROM gangs WHERE id = $gang" >/dev/null
expect "a delete files the old row" "delete|gangs|$gang|$case_id|甲团伙|2" \
    "$(q "SELECT action, table_name, row_id, case_id, image->>'name', image->>'count' FROM history ORDER BY id DESC LIMIT 1")"
refused "an id cannot change" "$admin_user" P0001 "cases: a row keeps its id" "UPDATE cases SET id = id + 1000 WHERE id = $case_id"
refused "a vocabulary row keeps its row_id" "$admin_user" P0001 "categories: a row keeps its row_id" "UPDATE categories SET row_id = row_id + 1000 WHERE name = '毒品'"
alias_row=$(q "SELECT row_id FROM category_aliases WHERE alias = '电诈'")
q "UPDATE category_aliases SET alias = '电骗' WHERE alias = '电诈'" >/dev/null
expect "a text-keyed row is known by its row_id" "update|category_aliases|$alias_row||电诈|f" \
    "$(q "SELECT action, table_name, row_id, coalesce(case_id::text, ''), image->>'alias', image ? 'row_id' FROM history ORDER BY id DESC LIMIT 1")"
q "UPDATE categories SET name = '电诈类' WHERE name = '电信网络诈骗'" >/dev/null
expect "a renamed category follows into cases (with history) and totals" "电诈类|电诈类|电诈类|1" \
    "$(q "SELECT (SELECT category FROM cases WHERE id = $case_id), (SELECT DISTINCT category FROM case_totals WHERE case_id = $case_id),
              (SELECT string_agg(DISTINCT category, ',') FROM report_totals), (SELECT count(*) FROM history WHERE table_name = 'cases' AND image->>'category' = '电信网络诈骗' AND change_set = (SELECT max(change_set) FROM history))")"
q "UPDATE categories SET name = '电信网络诈骗' WHERE name = '电诈类'" >/dev/null
explicit=$(( $(q "SELECT max(id) FROM cases") + 100 ))
q "INSERT INTO cases (id, city, code, year) VALUES ($explicit, '420100', 'x.1', 2022)" >/dev/null
expect "an explicit id moves the sequence past it" "t" "$(q "INSERT INTO cases (city, code, year) VALUES ('420100', 'x.2', 2022) RETURNING id > $explicit")"
totals_exact "after the history checks"

# MARK: Totals through every kind of change.
q "INSERT INTO cases (city, code, year, category) VALUES ('420700', '2.1', 2022, '毒品'), ('420683', '2.2', 2022, NULL), ('429004', '2.3', 2021, '赌博');
   INSERT INTO arrests (case_id, count, phase, date) SELECT id, 7, 'initial', NULL FROM cases WHERE code LIKE '2.%';
   INSERT INTO arrests (case_id, count, phase, date) SELECT id, 2, 'extended', '2022-03-15' FROM cases WHERE code LIKE '2.%';
   INSERT INTO arrests (case_id, count, phase, date) SELECT id, 1, 'initial', '2022-03-20' FROM cases WHERE code LIKE '2.%';
   INSERT INTO gangs (case_id, count, date) SELECT id, 1, '2022-11' FROM cases WHERE code LIKE '2.%';
   INSERT INTO links (case_id, count, type, date) SELECT id, 3, '洗钱', NULL FROM cases WHERE code LIKE '2.%'" >/dev/null
totals_exact "after inserts"
q "UPDATE cases SET year = 2023, opened = '2023-02' WHERE code = '2.1'" >/dev/null
expect "a case moved to another period takes its undated results" "2022|3|0|1|2|0|0
2022|11|0|0|0|1|0
2023|2|1|7|0|0|3" "$(q "SELECT year, month, cases, arrests_initial, arrests_extended, gangs, links FROM case_totals WHERE case_id = (SELECT id FROM cases WHERE code = '2.1') ORDER BY year, month")"
totals_exact "after moving a case"
q "UPDATE cases SET opened = NULL WHERE code = '2.1'" >/dev/null
q "UPDATE cases SET city = '420600', category = '涉黄' WHERE code = '2.2'" >/dev/null
q "UPDATE cases SET category = NULL WHERE code = '2.3'" >/dev/null
totals_exact "after relabelling"
q "UPDATE arrests SET date = '2021-06' WHERE count = 7 AND case_id = (SELECT id FROM cases WHERE code = '2.3')" >/dev/null
q "UPDATE arrests SET phase = 'extended' WHERE count = 7 AND case_id = (SELECT id FROM cases WHERE code = '2.2')" >/dev/null
q "UPDATE arrests SET count = 9 WHERE count = 2 AND case_id = (SELECT id FROM cases WHERE code = '2.1')" >/dev/null
q "UPDATE links SET case_id = (SELECT id FROM cases WHERE code = '2.1') WHERE case_id = (SELECT id FROM cases WHERE code = '2.2')" >/dev/null
q "UPDATE gangs SET date = NULL WHERE case_id = (SELECT id FROM cases WHERE code = '2.3')" >/dev/null
q "UPDATE gangs SET note = '无关' WHERE case_id = (SELECT id FROM cases WHERE code = '2.1')" >/dev/null
totals_exact "after result updates"
q "DELETE FROM arrests WHERE case_id = (SELECT id FROM cases WHERE code = '2.2')" >/dev/null
totals_exact "after deleting results"
deleted=$(q "SELECT id FROM cases WHERE code = '2.1'")
first=$(q "SELECT coalesce(max(id), 0) FROM history")
q "DELETE FROM cases WHERE id = $deleted" >/dev/null
expect "a deleted case files its results first, then itself" "arrests,arrests,arrests,gangs,links,links,cases" \
    "$(q "SELECT string_agg(table_name, ',' ORDER BY id) FROM history WHERE id > $first")"
expect "in one change set" 1 "$(q "SELECT count(DISTINCT change_set) FROM history WHERE id > $first")"
expect "its totals go with it" 0 "$(q "SELECT count(*) FROM case_totals WHERE case_id = $deleted")"
totals_exact "after deleting a case"

# MARK: Change sets and history are append-only.
refused "history rows cannot be changed" "$admin_user" P0001 "history rows cannot be changed" "UPDATE history SET action = 'delete'"
refused "history rows cannot be deleted" "$admin_user" P0001 "history rows cannot be deleted" "DELETE FROM history"
refused "history cannot be truncated" "$admin_user" P0001 "history rows cannot be deleted" "TRUNCATE history CASCADE"
refused "change sets cannot be deleted" "$admin_user" P0001 "change sets cannot be deleted" "DELETE FROM change_sets WHERE id = $outside"
refused "a change set's command cannot change" "$admin_user" P0001 "change sets cannot be rewritten" "UPDATE change_sets SET command = 'x' WHERE id = $outside"
refused "a change set's time cannot change" "$admin_user" P0001 "change sets cannot be rewritten" "UPDATE change_sets SET at = '2000-01-01T00:00:00.000Z' WHERE id = $outside"
refused "a change set's role cannot change" "$admin_user" P0001 "change sets cannot be rewritten" "UPDATE change_sets SET db_role = 'x' WHERE id = $outside"
q "UPDATE change_sets SET open = false, digest = 'd1' WHERE id = $outside" >/dev/null && pass
refused "a closed change set stays closed" "$admin_user" P0001 "change sets cannot be rewritten" "UPDATE change_sets SET open = true WHERE id = $outside"
refused "a digest is set once" "$admin_user" P0001 "change sets cannot be rewritten" "UPDATE change_sets SET digest = 'd2' WHERE id = $outside"
q "UPDATE change_sets SET digest = 'd3' WHERE id = $mine" >/dev/null && pass
expect "a closed change set may still be sealed once" "d3" "$(q "SELECT digest FROM change_sets WHERE id = $mine")"
refused "a versioned table cannot be truncated" "$admin_user" P0001 "arrests: TRUNCATE would remove rows without their history" "TRUNCATE arrests"

# MARK: Bureaus.
q "SELECT casetrack_grant_bureau('$xy', '420600'); SELECT casetrack_grant_bureau('$zy', '420683');
   SELECT casetrack_grant_bureau('$prov', NULL); SELECT casetrack_grant_bureau('$none', '420600');
   DELETE FROM bureau_grants WHERE role = '$none';" >/dev/null
q "INSERT INTO cases (city, code, year) VALUES ('420700', 'e.1', 2023), ('420600', 'x.9', 2023)" >/dev/null
ezhou=$(q "SELECT id FROM cases WHERE code = 'e.1'")
xiangyang=$(q "SELECT id FROM cases WHERE code = 'x.9'")
expect "襄阳's bureau writes 襄阳's cases" "1" "$(q "$xy" "INSERT INTO cases (city, code, year, opened) VALUES ('420600', 'b.1', 2023, '2023-08') RETURNING 1")"
expect "and its counties'" "1" "$(q "$xy" "INSERT INTO cases (city, code, year) VALUES ('420683', 'b.2', 2023) RETURNING 1")"
expect "and their results" "2" "$(q "$xy" "INSERT INTO arrests (case_id, count) SELECT id, 2 FROM cases WHERE code IN ('b.1', 'b.2') RETURNING 1" | wc -l | tr -d ' ')"
expect "updates them" "2" "$(q "$xy" "UPDATE cases SET note = '襄阳改' WHERE code IN ('b.1', 'b.2') RETURNING 1" | wc -l | tr -d ' ')"
expect "moves one to a county under it" "1" "$(q "$xy" "UPDATE cases SET city = '420602' WHERE code = 'b.2' RETURNING 1")"
expect "updates the owner's 襄阳 case" "1" "$(q "$xy" "UPDATE cases SET name = '樊城专案' WHERE id = $xiangyang RETURNING 1")"
expect "deletes one" "1" "$(q "$xy" "DELETE FROM cases WHERE code = 'b.2' RETURNING 1")"
expect "its writes are filed under its own change sets" "$xy" "$(q "SELECT DISTINCT cs.db_role FROM cases c JOIN change_sets cs ON cs.id = c.change_set WHERE c.code = 'b.1'")"
expect "it opens and closes casetrack change sets" "t" "$(q "$xy" "SELECT casetrack_begin('xy', 'case edit'); UPDATE cases SET note = '再改' WHERE code = 'b.1'; SELECT casetrack_finish(current_setting('casetrack.change_set')::bigint);" | tail -n 1)"
message="role $xy may not write cases of 鄂州 (it may write 襄阳 and the counties under it)"
refused "襄阳's bureau cannot insert a case of 鄂州" "$xy" 42501 "$message" "INSERT INTO cases (city, code, year) VALUES ('420700', 'b.3', 2023)"
refused "nor update one" "$xy" 42501 "$message" "UPDATE cases SET note = 'x' WHERE id = $ezhou"
refused "nor delete one" "$xy" 42501 "$message" "DELETE FROM cases WHERE id = $ezhou"
refused "nor move its own case there" "$xy" 42501 "$message" "UPDATE cases SET city = '420700' WHERE code = 'b.1'"
refused "nor add an arrest to one" "$xy" 42501 "role $xy may not write arrests of 鄂州 (it may write 襄阳 and the counties under it)" \
    "INSERT INTO arrests (case_id, count) VALUES ($ezhou, 1)"
refused "nor move an arrest there" "$xy" 42501 "role $xy may not write arrests of 鄂州" \
    "UPDATE arrests SET case_id = $ezhou WHERE case_id = (SELECT id FROM cases WHERE code = 'b.1')"
refused "nor a gang" "$xy" 42501 "role $xy may not write gangs of 鄂州" "INSERT INTO gangs (case_id) VALUES ($ezhou)"
refused "nor a link" "$xy" 42501 "role $xy may not write links of 鄂州" "INSERT INTO links (case_id) VALUES ($ezhou)"
refused "a county's bureau writes only the county" "$zy" 42501 "role $zy may not write cases of 襄阳 (it may write 枣阳)" \
    "INSERT INTO cases (city, code, year) VALUES ('420600', 'z.1', 2023)"
expect "枣阳's bureau writes 枣阳" "1" "$(q "$zy" "INSERT INTO cases (city, code, year) VALUES ('420683', 'z.1', 2023) RETURNING 1")"
refused "a role without a grant writes nothing" "$none" 42501 "role $none may not write cases of 襄阳 (it has no bureau grant)" \
    "INSERT INTO cases (city, code, year) VALUES ('420600', 'n.1', 2023)"
refused "nor deletes" "$none" 42501 "role $none may not write cases of 襄阳 (it has no bureau grant)" "DELETE FROM cases WHERE id = $xiangyang"
expect "the province writes 鄂州" "1" "$(q "$prov" "INSERT INTO cases (city, code, year) VALUES ('420700', 'p.1', 2023) RETURNING 1")"
expect "and 襄阳" "1" "$(q "$prov" "UPDATE cases SET note = '省改' WHERE id = $xiangyang RETURNING 1")"
expect "adds results anywhere" "1" "$(q "$prov" "INSERT INTO arrests (case_id, count) VALUES ($ezhou, 4) RETURNING 1")"
expect "deletes anywhere" "1" "$(q "$prov" "DELETE FROM cases WHERE code = 'p.1' RETURNING 1")"
expect "and keeps the vocabularies" "1" "$(q "$prov" "INSERT INTO categories (name) VALUES ('省定类别') RETURNING 1")"
refused "a bureau does not keep the vocabularies" "$xy" 42501 "permission denied for table categories" "INSERT INTO categories (name) VALUES ('襄阳类别')"
refused "a bureau cannot write history" "$xy" 42501 "permission denied for table history" \
    "INSERT INTO history (change_set, table_name, row_id, action, image) VALUES ($outside, 'cases', 1, 'update', '{}')"
refused "nor change sets" "$xy" 42501 "permission denied for table change_sets" "INSERT INTO change_sets (command) VALUES ('forged')"
refused "nor the totals" "$xy" 42501 "permission denied for table case_totals" "UPDATE case_totals SET cases = 0"
refused "nor the rollup" "$xy" 42501 "permission denied for table report_totals" "DELETE FROM report_totals"
refused "nor its grant" "$xy" 42501 "permission denied for table bureau_grants" "UPDATE bureau_grants SET city = NULL"
refused "nor grant bureaus" "$xy" 42501 "permission denied for function casetrack_grant_bureau" "SELECT casetrack_grant_bureau('$xy', NULL)"
refused "nor recompute totals" "$xy" 42501 "permission denied for function casetrack_recompute_totals" "SELECT casetrack_recompute_totals(ARRAY[1::bigint])"
refused "nor turn the guard off" "$xy" 42501 "must be owner of table cases" "ALTER TABLE cases DISABLE TRIGGER casetrack_1_guard"
refused "nor file its writes under another role's change set" "$xy" 42501 "casetrack.change_set names change set $mine" \
    "SELECT set_config('casetrack.change_set', '$mine', true); UPDATE cases SET note = '冒名' WHERE code = 'b.1'"
refused "nor seal another role's change set" "$xy" P0001 "change sets cannot be rewritten" "UPDATE change_sets SET digest = 'forged' WHERE id = $begun"
refused "nor close it" "$xy" 42501 "role $xy may not close change set $outside" "SELECT casetrack_finish($outside)"
expect "a bureau reads every division" "t" "$(q "$xy" "SELECT count(*) > 0 FROM cases WHERE city = '420700'")"
expect "casetrack_may_write as 襄阳's bureau" "t|t|f" "$(q "$xy" "SELECT casetrack_may_write('420600'), casetrack_may_write('420683'), casetrack_may_write('420700')")"
expect "casetrack_may_write as the owner" "t" "$(q "SELECT casetrack_may_write('420700')")"
totals_exact "after the bureaus' writes"

# MARK: 16 concurrent writers into one case, and into one rollup row.
q "INSERT INTO cases (city, code, year, opened, category) VALUES ('420100', 'c.1', 2023, '2023-03', '赌博')" >/dev/null
busy=$(q "SELECT id FROM cases WHERE code = 'c.1'")
work=$(mktemp -d)
for client in $(seq 1 16); do
    {
        for n in $(seq 1 25); do
            case $((n % 3)) in
                0) echo "INSERT INTO arrests (case_id, count) VALUES ($busy, $n);" ;;
                1) echo "INSERT INTO arrests (case_id, count, phase, date) VALUES ($busy, $n, 'extended', '2023-0$((n % 9 + 1))');" ;;
                2) echo "BEGIN; INSERT INTO arrests (case_id, count, date) VALUES ($busy, $n, '2023'); INSERT INTO cases (city, code, year, category) VALUES ('420100', 'c.$client.$n', 2023, '赌博'); COMMIT;" ;;
            esac
        done
    } >"$work/$client.sql"
done
pids=()
for client in $(seq 1 16); do
    psql -X -q -v ON_ERROR_STOP=1 -d "$(url "$admin_user")" -f "$work/$client.sql" >"$work/$client.out" 2>&1 &
    pids+=($!)
done
for client in $(seq 1 16); do
    if wait "${pids[$((client - 1))]}"; then pass; else fail "concurrent client $client: $(head -n 3 "$work/$client.out")"; fi
done
rm -rf "$work"
expect "every concurrent arrest counted" "$((16 * 325))|$((16 * 325))" \
    "$(q "SELECT (SELECT sum(count) FROM arrests WHERE case_id = $busy), (SELECT sum(arrests_initial + arrests_extended) FROM case_totals WHERE case_id = $busy)")"
expect "every concurrent case counted" "$((16 * 8 + 1))" "$(q "SELECT sum(cases) FROM report_totals WHERE year = 2023 AND city = '420100' AND category = '赌博'")"
expect "one change set per concurrent transaction" "$((16 * 25))" "$(q "SELECT count(DISTINCT change_set) FROM arrests WHERE case_id = $busy")"
totals_exact "after 16 concurrent writers"

# 16 concurrent clients writing at random into 5 cases: results added, changed, moved between
# cases and removed; cases moved to other periods, divisions and categories. A transaction may
# lose a deadlock (40P01: writers of one division's figures meet in the same rollup rows) and be
# rolled back; any other error fails, and the totals must be exact afterwards.
q "INSERT INTO cases (city, code, year, category) VALUES ('420600', 'r.1', 2023, '毒品'), ('420683', 'r.2', 2023, '赌博'),
   ('420700', 'r.3', 2023, NULL), ('420100', 'r.4', 2022, '涉黄'), ('429004', 'r.5', 2023, '毒品')" >/dev/null
first=$(q "SELECT min(id) FROM cases WHERE code LIKE 'r.%'")
work=$(mktemp -d)
for client in $(seq 1 16); do
    RANDOM=$client
    for n in $(seq 1 60); do
        target=$((first + RANDOM % 5))
        case $((RANDOM % 4)) in
            0) date=NULL ;; 1) date="'2023'" ;; 2) date="'2023-0$((RANDOM % 9 + 1))'" ;; 3) date="'2022-11-0$((RANDOM % 9 + 1))'" ;;
        esac
        some="(SELECT id FROM arrests WHERE case_id BETWEEN $first AND $((first + 4)) ORDER BY random() LIMIT 1)"
        case $((RANDOM % 8)) in
            0|1|2) echo "INSERT INTO arrests (case_id, count, phase, date) VALUES ($target, $((RANDOM % 9 + 1)), '$( ((RANDOM % 2)) && echo initial || echo extended)', $date);" ;;
            3) echo "INSERT INTO links (case_id, count, date) VALUES ($target, $((RANDOM % 3 + 1)), $date);" ;;
            4) echo "UPDATE arrests SET count = count % 9 + 1, date = $date, case_id = $target WHERE id = $some;" ;;
            5) echo "DELETE FROM arrests WHERE id = $some;" ;;
            6) year=$((2022 + RANDOM % 2))
               case $((RANDOM % 3)) in 0) opened=NULL ;; 1) opened="'$year'" ;; 2) opened="'$year-0$((RANDOM % 9 + 1))'" ;; esac
               echo "UPDATE cases SET year = $year, opened = $opened WHERE id = $target;" ;;
            7) echo "UPDATE cases SET city = (ARRAY['420600', '420683', '420700'])[$((RANDOM % 3 + 1))], category = (ARRAY['毒品', '赌博', NULL])[$((RANDOM % 3 + 1))] WHERE id = $target;" ;;
        esac
    done >"$work/$client.sql"
done
pids=()
for client in $(seq 1 16); do
    psql -X -q -d "$(url "$admin_user")" -f "$work/$client.sql" >"$work/$client.out" 2>&1 &
    pids+=($!)
done
for client in $(seq 1 16); do
    wait "${pids[$((client - 1))]}"
    others=$(grep '^psql:.*ERROR:' "$work/$client.out" | grep -v 'ERROR:  deadlock detected')
    if [ -z "$others" ]; then pass; else fail "random client $client: $(printf '%s' "$others" | head -n 3)"; fi
done
rm -rf "$work"
expect "random writers left results" "t" "$(q "SELECT count(*) > 0 FROM arrests WHERE case_id BETWEEN $first AND $((first + 4))")"
totals_exact "after 16 random concurrent writers"

echo "check-postgres-schema: $passed passed, $failed failed" >&2
[ "$failed" -eq 0 ]
