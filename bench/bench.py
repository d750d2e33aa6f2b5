#!/usr/bin/env python3
"""casetrack's benchmark: casetrack beside the sqlite3 shell on the same data, in the same run.

For each scale it generates the data (bench/generate.py), then measures, each figure the median
of several whole-process runs after a warm-up, with peak RSS from GNU time:
  - import of the JSONL documents and of the CSV summary rows, against the sqlite3 shell's
    `.import` of the same rows into an equivalent normalised schema, in one transaction;
  - `report` (city x year) against SQL over one totals row per case (built once, untimed);
  - the database's size against the reference database's, and `undo` of the whole import;
  - sqlite-utils (a peer tool) inserting the same rows, when it is installed;
  - `case list --city 襄阳 --year 2023` against the hand-written indexed query;
  - `search` for words from common to absent and `case list --search`, and the search index's
    size beside the text it indexes (search_figures);
  - `case add`, `arrest add`, `case show` on the 10k database, and start-up (`--version`)
    against an empty binary linking the same libraries.
Usage: bench/bench.py BIN EMPTY_BIN SCALE [SCALE...]   (make bench does this)
"""
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build", "bench")


def run(cmd, stdin=None, env=None):
    """Runs a command under GNU time; returns (wall seconds, peak RSS in KiB)."""
    with tempfile.NamedTemporaryFile() as rss:
        start = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name] + cmd, stdin=stdin,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr.decode(errors='replace')[-2000:]}")
        return wall, int(open(rss.name).read().strip().splitlines()[-1])


def measure(cmd, runs, setup=None, stdin_path=None, warmup=1):
    """Median wall time and peak RSS over `runs` runs after `warmup` runs."""
    times, peaks = [], []
    for i in range(warmup + runs):
        if setup:
            setup()
        stdin = open(stdin_path, "rb") if stdin_path else None
        wall, peak = run(cmd, stdin=stdin)
        if stdin:
            stdin.close()
        if i >= warmup:
            times.append(wall)
            peaks.append(peak)
    return statistics.median(times), max(peaks)


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


REFERENCE_SCHEMA = """
CREATE TABLE cities (code TEXT PRIMARY KEY, short_name TEXT, full_name TEXT, pinyin TEXT, level TEXT, prefecture TEXT, parent TEXT);
CREATE TABLE cases (id INTEGER PRIMARY KEY, city TEXT, code TEXT, year INTEGER, opened TEXT, closed TEXT, category TEXT,
                    name TEXT, status TEXT, source TEXT, note TEXT, UNIQUE (city, code, year));
CREATE INDEX cases_by_year_city ON cases (year, city);
CREATE TABLE arrests (case_id INTEGER, count INTEGER, phase TEXT, date TEXT, note TEXT);
CREATE TABLE gangs (case_id INTEGER, count INTEGER, name TEXT, members INTEGER, date TEXT, note TEXT);
CREATE TABLE links (case_id INTEGER, count INTEGER, type TEXT, name TEXT, date TEXT, note TEXT);
CREATE INDEX arrests_by_case ON arrests (case_id);
CREATE INDEX gangs_by_case ON gangs (case_id);
CREATE INDEX links_by_case ON links (case_id);
"""

# The same per-case, per-period totals casetrack keeps (with the case's city and category), built
# once (untimed) for the query references: the same physical design, queried by hand.
REFERENCE_TOTALS = """
CREATE TABLE case_totals (case_id INTEGER, year INTEGER, month INTEGER, city TEXT, category TEXT,
                          cases INTEGER, ai INTEGER, ae INTEGER, g INTEGER, l INTEGER,
                          PRIMARY KEY (case_id, year, month)) WITHOUT ROWID;
INSERT INTO case_totals
SELECT r.case_id, r.year, r.month, c.city, c.category, sum(cases), sum(ai), sum(ae), sum(g), sum(l) FROM (
    SELECT id AS case_id, year, CASE WHEN length(opened) >= 7 THEN CAST(substr(opened, 6, 2) AS INTEGER) ELSE 0 END AS month,
           1 AS cases, 0 AS ai, 0 AS ae, 0 AS g, 0 AS l FROM cases
    UNION ALL
    SELECT r.case_id, CAST(substr(p, 1, 4) AS INTEGER), CASE WHEN length(p) >= 7 THEN CAST(substr(p, 6, 2) AS INTEGER) ELSE 0 END, 0, ai, ae, g, l
    FROM (SELECT a.case_id, coalesce(nullif(a.date, ''), nullif(c.opened, ''), CAST(c.year AS TEXT)) AS p,
                 CASE a.phase WHEN 'initial' THEN a.count ELSE 0 END AS ai, CASE a.phase WHEN 'extended' THEN a.count ELSE 0 END AS ae, 0 AS g, 0 AS l
          FROM arrests a JOIN cases c ON c.id = a.case_id
          UNION ALL SELECT g.case_id, coalesce(nullif(g.date, ''), nullif(c.opened, ''), CAST(c.year AS TEXT)), 0, 0, g.count, 0 FROM gangs g JOIN cases c ON c.id = g.case_id
          UNION ALL SELECT l.case_id, coalesce(nullif(l.date, ''), nullif(c.opened, ''), CAST(c.year AS TEXT)), 0, 0, 0, l.count FROM links l JOIN cases c ON c.id = l.case_id) r
) r JOIN cases c ON c.id = r.case_id GROUP BY 1, 2, 3;
"""

# One totals row per case (built once, untimed): the design a report is held to, independent of
# casetrack's own tables.
REFERENCE_CASE_SUMS = """
CREATE TABLE case_sums (case_id INTEGER PRIMARY KEY, city TEXT, category TEXT, year INTEGER,
                        ai INTEGER, ae INTEGER, g INTEGER, l INTEGER);
INSERT INTO case_sums
SELECT c.id, c.city, c.category, c.year,
       coalesce((SELECT sum(count) FROM arrests a WHERE a.case_id = c.id AND a.phase = 'initial'), 0),
       coalesce((SELECT sum(count) FROM arrests a WHERE a.case_id = c.id AND a.phase = 'extended'), 0),
       coalesce((SELECT sum(count) FROM gangs g WHERE g.case_id = c.id), 0),
       coalesce((SELECT sum(count) FROM links l WHERE l.case_id = c.id), 0)
FROM cases c;
"""

REFERENCE_REPORT = """
SELECT coalesce(p.short_name, ci.short_name) AS city, s.year, count(*), sum(s.ai + s.ae), sum(s.ai), sum(s.ae), sum(s.g), sum(s.l)
FROM case_sums s JOIN cities ci ON ci.code = s.city LEFT JOIN cities p ON p.code = ci.parent
GROUP BY 1, 2 ORDER BY min(coalesce(ci.parent, ci.code)), s.year;
"""

REFERENCE_LIST = """
SELECT c.*, coalesce(sum(t.ai), 0), coalesce(sum(t.ae), 0), coalesce(sum(t.g), 0), coalesce(sum(t.l), 0)
FROM cases c LEFT JOIN case_totals t ON t.case_id = c.id
WHERE c.year = 2023 AND c.city IN (SELECT code FROM cities WHERE code = '420600' OR parent = '420600')
GROUP BY c.id ORDER BY c.city, c.code, c.id;
"""


def main():
    binary, empty, scales = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]]
    os.makedirs(WORK, exist_ok=True)
    rows = []
    def record(what, scale, ours, reference=None, unit="s", per=None):
        ratio = f"{ours[0] / reference[0]:.2f}×" if reference else ""
        rate = f"{per / ours[0]:,.0f} cases/s" if per else ""
        rows.append((what, f"{scale:,}", f"{ours[0]*1000:,.1f} ms", f"{reference[0]*1000:,.1f} ms" if reference else "",
                     ratio, rate, f"{ours[1] / 1024:.1f} MiB", f"{reference[1] / 1024:.1f} MiB" if reference else ""))
        print(" | ".join(rows[-1]), flush=True)

    cities_csv = os.path.join(WORK, "cities.csv")
    with open(cities_csv, "w") as out:
        subprocess.run([binary, "cities", "--format", "csv", "--db", os.path.join(WORK, "vocabulary.db")], stdout=out, check=True)
    lines = open(cities_csv, encoding="utf-8").read().splitlines()[1:]
    parents = {}
    for line in lines:
        code, short, full, pinyin, level, prefecture = line.split(",")
        parents[code] = prefecture
    short_to_code = {line.split(",")[1]: line.split(",")[0] for line in lines}
    with open(os.path.join(WORK, "cities-ref.csv"), "w") as out:
        for line in lines:
            code, short, full, pinyin, level, prefecture = line.split(",")
            out.write(f"{line},{short_to_code.get(prefecture, '')}\n")

    for scale in scales:
        data = os.path.join(WORK, str(scale))
        if not os.path.exists(os.path.join(data, "cases.jsonl")):
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"), str(scale), data], check=True)
        runs = 5 if scale <= 10_000 else 3 if scale <= 100_000 else 1
        warm = 1 if scale <= 100_000 else 0

        ref_db = os.path.join(data, "reference.db")
        script = os.path.join(data, "reference-import.sql")
        with open(script, "w") as out:
            out.write(REFERENCE_SCHEMA)
            out.write(f".mode csv\n.import {WORK}/cities-ref.csv cities\nBEGIN;\n")
            for table in ("cases", "arrests", "gangs", "links"):
                out.write(f".import {data}/ref/{table}.csv {table}\n")
            out.write("COMMIT;\n")
        reference_import = measure(["sqlite3", ref_db], runs, setup=lambda: remove_db(ref_db), stdin_path=script, warmup=warm)
        subprocess.run(["sqlite3", ref_db], input=(REFERENCE_TOTALS + REFERENCE_CASE_SUMS).encode(), check=True)
        # The reference's size is taken before the derived tables, as the data a register must hold.
        size_db = os.path.join(data, "reference-size.db")
        remove_db(size_db)
        subprocess.run(["sqlite3", size_db], stdin=open(script, "rb"), check=True, stdout=subprocess.DEVNULL)
        reference_size = os.path.getsize(size_db)

        # A peer tool: sqlite-utils inserting the same rows (one transaction per table).
        utils = shutil.which("sqlite-utils")
        if utils:
            peer_db = os.path.join(data, "sqlite-utils.db")
            def peer_setup():
                remove_db(peer_db)
            def peer_cmd():
                return ["sh", "-c", " && ".join(
                    f"{utils} insert {peer_db} {table} {data}/ref/{table}-h.csv --csv"
                    for table in ("cases", "arrests", "gangs", "links"))]
            for table, columns in (("cases", "id,city,code,year,opened,closed,category,name,status,source,note"),
                                   ("arrests", "case_id,count,phase,date,note"), ("gangs", "case_id,count,name,members,date,note"),
                                   ("links", "case_id,count,type,name,date,note")):
                headed = os.path.join(data, "ref", f"{table}-h.csv")
                if not os.path.exists(headed):
                    with open(headed, "w", encoding="utf-8") as out:
                        out.write(columns + "\n")
                        out.write(open(os.path.join(data, "ref", f"{table}.csv"), encoding="utf-8").read())
            peer = measure(peer_cmd(), runs, setup=peer_setup, warmup=0)
        else:
            peer = None

        ours_db = os.path.join(data, "casetrack.db")
        jsonl = measure([binary, "import", os.path.join(data, "cases.jsonl"), "--db", ours_db], runs,
                        setup=lambda: remove_db(ours_db), warmup=warm)
        record("import JSONL", scale, jsonl, reference_import, per=scale)
        if peer:
            record("sqlite-utils insert (peer, same rows)", scale, peer, reference_import, per=scale)
        ours_size = sum(os.path.getsize(ours_db + suffix) for suffix in ("", "-wal") if os.path.exists(ours_db + suffix))
        rows.append(("database size", f"{scale:,}", f"{ours_size / 2**20:,.1f} MiB", f"{reference_size / 2**20:,.1f} MiB",
                     f"{ours_size / reference_size:.2f}×", "", "", ""))
        print(" | ".join(rows[-1]), flush=True)
        undo_db = os.path.join(data, "undo.db")
        def undo_setup():
            remove_db(undo_db)
            shutil.copy(ours_db, undo_db)
        record("undo of the whole import", scale, measure([binary, "undo", "--db", undo_db], 1 if scale > 10_000 else 3, setup=undo_setup, warmup=0))
        csv_db = os.path.join(data, "casetrack-csv.db")
        csv = measure([binary, "import", os.path.join(data, "cases.csv"), "--db", csv_db], runs,
                      setup=lambda: remove_db(csv_db), warmup=warm)
        record("import CSV", scale, csv, reference_import, per=scale)

        for name, ours_cmd, sql in [
            ("report (city × year)", [binary, "report", "--format", "csv", "--db", ours_db], REFERENCE_REPORT),
            ("case list --city 襄阳 --year 2023", [binary, "case", "list", "--city", "襄阳", "--year", "2023", "--format", "csv", "--db", ours_db], REFERENCE_LIST),
        ]:
            query = os.path.join(data, "query.sql")
            open(query, "w").write(sql)
            reference = measure(["sqlite3", ref_db], 7, stdin_path=query, warmup=2)
            ours = measure(ours_cmd, 7, warmup=2)
            record(name, scale, ours, reference)

        search_figures(binary, scale, ours_db, record)

        if scale == min(scales):
            small = os.path.join(data, "writes.db")
            shutil.copy(ours_db, small)
            counter = iter(range(1, 10_000))
            record("case add", scale, measure_each(lambda: [binary, "case", "add", "--city", "襄阳", "--code", f"B.{next(counter)}", "--year", "2024", "--db", small]))
            record("arrest add", scale, measure([binary, "arrest", "add", "1", "--count", "3", "--db", small], 9))
            record("case show", scale, measure([binary, "case", "show", "1", "--db", small], 9))
            record("start-up: casetrack --version", 0, measure([binary, "--version"], 21, warmup=3),
                   measure([empty, "--version"], 21, warmup=3))

    header = ("what", "cases", "casetrack", "reference", "ratio", "rate", "casetrack RSS", "reference RSS")
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]
    machine = f"{platform.node()}: {os.cpu_count()} cores, {platform.platform()}, sqlite3 {subprocess.run(['sqlite3', '--version'], capture_output=True, text=True).stdout.split()[0]}"
    result = "\n".join(table) + f"\n\nMachine: {machine}\n"
    path = os.path.join(WORK, "results.md")
    open(path, "w").write(result)
    print("\n" + result)
    print(f"(written to {path})")


# Words of the generated data, from common to absent: 跑分 is in the notes of about half the cases,
# 襄阳 in the names of one case in twenty, 团伙1 in the gang names of a quarter, 督办 nowhere.
SEARCH_WORDS = ["跑分", "襄阳", "督办", "团伙1", "襄阳 跑分", "集中收网"]


def search_figures(binary, scale, db, record):
    """`search WORD` and `case list --search` over the imported database (whole process, the best
    20 by bm25), then the index's size beside the text it indexes and the tables that hold it."""
    for words in SEARCH_WORDS:
        record(f"search {words}", scale, measure([binary, "search", *words.split(), "--format", "csv", "--db", db], 7, warmup=2))
    record("case list --search 襄阳 --year 2023", scale,
           measure([binary, "case", "list", "--search", "襄阳", "--year", "2023", "--format", "csv", "--db", db], 7, warmup=2))
    sizes = subprocess.run(["sqlite3", db, """
        SELECT (SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'case_search%'),
               (SELECT sum(length(CAST(text AS BLOB))) FROM case_search_text),
               (SELECT sum(pgsize) FROM dbstat WHERE name IN ('cases', 'gangs', 'links')),
               (SELECT sum(pgsize) FROM dbstat)"""], capture_output=True, text=True, check=True).stdout.strip().split("|")
    index, text, tables, whole = (int(x) for x in sizes)
    print(f"search index at {scale:,}: {index / 2**20:.1f} MiB = {index / text:.2f}× the {text / 2**20:.1f} MiB of text it indexes, "
          f"{index / tables:.2f}× the cases, gangs and links tables ({tables / 2**20:.1f} MiB), {index / whole:.2f}× the database", flush=True)


def measure_each(make_command, runs=9, warmup=1):
    """Like measure(), for a command that must differ on every run (a new case each time)."""
    times, peaks = [], []
    for i in range(warmup + runs):
        wall, peak = run(make_command())
        if i >= warmup:
            times.append(wall)
            peaks.append(peak)
    return statistics.median(times), max(peaks)


if __name__ == "__main__":
    main()
