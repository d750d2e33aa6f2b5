#!/usr/bin/env python3
"""casetrack's benchmark on a PostgreSQL server: casetrack beside psql on the same data and server.

For each scale it uses the data of bench/generate.py (shared with bench/bench.py) and measures,
each figure the median of whole-process runs, every import into a fresh database, with peak RSS
from GNU time (of the client process, casetrack or psql: the server's backend is not counted):
  - `casetrack import` of the JSONL documents and of the CSV summary rows into an empty database
    (casetrack creates the register), against psql `\\copy` of the same rows into the plain schema
    of bench.py's reference, translated to PostgreSQL types, in one transaction;
  - the database's size (pg_database_size) against the reference's, as the imports leave them
    and after VACUUM FULL of both;
  - `report` (city x year) after VACUUM and after VACUUM FULL, against bench.py's report SQL over
    one totals row per case (built once, untimed), run by psql.
The server: CASETRACK_BENCH_POSTGRES=postgresql://USER@HOST:PORT/DB names one (USER may create
databases); without it a throw-away PostgreSQL is started in a temporary folder with its default
settings (fsync on) and stopped at the end.
Usage: bench/bench_postgres.py BIN SCALE [SCALE...]   (make bench-postgres does this)
"""
import glob
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.parse

sys.dont_write_bytecode = True  # importing bench.py leaves no __pycache__ in the repository
from bench import REFERENCE_CASE_SUMS, REFERENCE_REPORT, ROOT, WORK, measure

REFERENCE_SCHEMA = """
CREATE TABLE cities (code text PRIMARY KEY, short_name text, full_name text, pinyin text, level text, prefecture text, parent text);
CREATE TABLE cases (id bigint PRIMARY KEY, city text, code text, year integer, opened text, closed text, category text,
                    name text, status text, source text, note text, UNIQUE (city, code, year));
CREATE INDEX cases_by_year_city ON cases (year, city);
CREATE TABLE arrests (case_id bigint, count integer, phase text, date text, note text);
CREATE TABLE gangs (case_id bigint, count integer, name text, members integer, date text, note text);
CREATE TABLE links (case_id bigint, count integer, type text, name text, date text, note text);
CREATE INDEX arrests_by_case ON arrests (case_id);
CREATE INDEX gangs_by_case ON gangs (case_id);
CREATE INDEX links_by_case ON links (case_id);
"""

# An import into a server takes minutes at 100k (the register's triggers run for every row): one
# run there, without a warm-up.
def import_runs(scale):
    return (3, 1) if scale <= 10_000 else (1, 0)


def psql(url, *args, **kwargs):
    quiet = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")  # no "does not exist, skipping"
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, *args], check=True, env=quiet, **kwargs)


def database_url(server, name):
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(server)._replace(path="/" + name))


def fresh_database(server, name):
    psql(server, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', "-c", f'CREATE DATABASE "{name}"')


def drop_database(server, name):
    psql(server, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url, sql):
    return psql(url, "-A", "-t", "-c", sql, capture_output=True, text=True).stdout.strip()


def size(server, name):
    return int(query(server, f"SELECT pg_database_size('{name}')"))


def start_server(folder):
    """A throw-away server in `folder`, as Scripts/with-postgres.sh starts one but with PostgreSQL's
    default settings (fsync on): returns its URL and a function that stops it."""
    bins = [d for d in ["/usr/lib/postgresql/15/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"))] if os.path.exists(f"{d}/pg_ctl")]
    if not bins:
        sys.exit("no PostgreSQL server programs (apt-get install postgresql), and no CASETRACK_BENCH_POSTGRES")
    # initdb refuses root: as root the server runs as the package's postgres user.
    owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if owner:
        shutil.chown(folder, "postgres")
    data, log = os.path.join(folder, "data"), os.path.join(folder, "log")
    subprocess.run(owner + [f"{bins[0]}/initdb", "-D", data, "--auth=trust", "-U", "postgres", "--encoding=UTF8",
                            "--locale=C.UTF-8"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(owner + [f"{bins[0]}/pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
                            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"],
                   cwd=folder, check=True, stdout=subprocess.DEVNULL)
    stop = lambda: subprocess.run(owner + [f"{bins[0]}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"],
                                  cwd=folder, stdout=subprocess.DEVNULL)
    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop


def cities_csv(binary):
    """bench.py's cities-ref.csv: the shipped divisions with the parent's code."""
    lines = subprocess.run([binary, "cities", "--format", "csv", "--db", os.path.join(WORK, "vocabulary.db")],
                           capture_output=True, text=True, check=True).stdout.splitlines()[1:]
    code_of = {line.split(",")[1]: line.split(",")[0] for line in lines}
    path = os.path.join(WORK, "cities-ref.csv")
    with open(path, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(f"{line},{code_of.get(line.split(',')[5], '')}\n")
    return path


def bench(binary, server, scales):
    rows = []
    def record(what, scale, ours, reference, per=None):
        rows.append((what, f"{scale:,}", f"{ours[0]*1000:,.1f} ms", f"{reference[0]*1000:,.1f} ms", f"{ours[0] / reference[0]:.2f}×",
                     f"{per / ours[0]:,.0f} cases/s" if per else "", f"{ours[1] / 1024:.1f} MiB", f"{reference[1] / 1024:.1f} MiB"))
        print(" | ".join(rows[-1]), flush=True)
    def record_size(what, scale, ours, reference):
        rows.append((what, f"{scale:,}", f"{ours / 2**20:,.1f} MiB", f"{reference / 2**20:,.1f} MiB", f"{ours / reference:.2f}×", "", "", ""))
        print(" | ".join(rows[-1]), flush=True)

    cities = cities_csv(binary)
    ours, ref, csv_db = "casetrack_bench", "casetrack_bench_reference", "casetrack_bench_csv"
    fresh_database(server, "casetrack_bench_empty")
    empty_size = size(server, "casetrack_bench_empty")
    drop_database(server, "casetrack_bench_empty")
    for scale in scales:
        data = os.path.join(WORK, str(scale))
        if not os.path.exists(os.path.join(data, "cases.jsonl")):
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"), str(scale), data], check=True)
        runs, warm = import_runs(scale)

        script = os.path.join(data, "reference-import-postgres.sql")
        with open(script, "w", encoding="utf-8") as out:
            out.write(REFERENCE_SCHEMA + f"\\copy cities FROM '{cities}' (FORMAT csv)\n")
            for table in ("cases", "arrests", "gangs", "links"):
                out.write(f"\\copy {table} FROM '{data}/ref/{table}.csv' (FORMAT csv)\n")
        ref_url, ours_url = database_url(server, ref), database_url(server, ours)
        reference_import = measure(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", script, "-d", ref_url],
                                   max(runs, 3), setup=lambda: fresh_database(server, ref), warmup=warm)
        reference_size = size(server, ref)
        psql(ref_url, "-c", "VACUUM FULL")
        reference_packed = size(server, ref)
        # The totals row per case, and the statistics a DBA would have gathered, before the report.
        psql(ref_url, "-c", REFERENCE_CASE_SUMS, "-c", "VACUUM ANALYZE", stdout=subprocess.DEVNULL)

        jsonl = measure([binary, "import", os.path.join(data, "cases.jsonl"), "--db", ours_url], runs,
                        setup=lambda: fresh_database(server, ours), warmup=warm)
        record("import JSONL", scale, jsonl, reference_import, per=scale)
        record_size("database size (as the import leaves it)", scale, size(server, ours), reference_size)
        csv = measure([binary, "import", os.path.join(data, "cases.csv"), "--db", database_url(server, csv_db)], runs,
                      setup=lambda: fresh_database(server, csv_db), warmup=warm)
        record("import CSV", scale, csv, reference_import, per=scale)
        drop_database(server, csv_db)

        # One transaction leaves a dead version of a totals row per result row, which autovacuum
        # clears when it comes round: VACUUM now, so that the figure does not depend on when.
        psql(ours_url, "-c", "VACUUM ANALYZE")
        report_sql = os.path.join(data, "report-postgres.sql")
        open(report_sql, "w").write(REFERENCE_REPORT)
        reference = measure(["psql", "-X", "-q", "-f", report_sql, "-d", ref_url], 7, warmup=2)
        ours_report = [binary, "report", "--format", "csv", "--db", ours_url]
        record("report (city × year), after VACUUM", scale, measure(ours_report, 7, warmup=2), reference)
        # VACUUM returns none of that space to the system; VACUUM FULL rewrites the tables.
        psql(ours_url, "-c", "VACUUM FULL ANALYZE")
        record_size("database size after VACUUM FULL (both)", scale, size(server, ours), reference_packed)
        record("report (city × year), after VACUUM FULL", scale, measure(ours_report, 7, warmup=2), reference)
        drop_database(server, ours)
        drop_database(server, ref)

    header = ("what", "cases", "casetrack", "reference", "ratio", "rate", "casetrack RSS", "reference RSS")
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]
    settings = query(server, "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings "
                             "WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'shared_buffers', "
                             "'work_mem', 'max_wal_size', 'autovacuum')")
    machine = (f"{platform.node()}: {os.cpu_count()} cores, {platform.platform()}, "
               f"{query(server, 'SHOW server_version')} ({settings}); an empty database is {empty_size / 2**20:.1f} MiB")
    result = "\n".join(table) + f"\n\nMachine: {machine}\n"
    path = os.path.join(WORK, "results-postgres.md")
    open(path, "w").write(result)
    print("\n" + result)
    print(f"(written to {path})")


def main():
    binary, scales = os.path.abspath(sys.argv[1]), [int(s) for s in sys.argv[2:]]
    os.makedirs(WORK, exist_ok=True)
    server = os.environ.get("CASETRACK_BENCH_POSTGRES")
    if server:
        bench(binary, server, scales)
        return
    folder = tempfile.mkdtemp(prefix="casetrack-bench-pg.")
    stop = None
    try:
        server, stop = start_server(folder)
        bench(binary, server, scales)
    finally:
        if stop:
            stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
