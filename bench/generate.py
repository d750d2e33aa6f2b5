#!/usr/bin/env python3
"""Deterministic generator of casetrack benchmark data.

Writes N cases with their results, the same data in three shapes:
  cases.jsonl          import documents (what `casetrack import` reads)
  cases.csv            one row of totals per case (`casetrack import --format csv`)
  ref/*.csv            plain normalised tables (cases, arrests, gangs, links) for the
                       sqlite3 shell's `.import`, the reference casetrack is measured against

Usage: bench/generate.py N OUTDIR [--seed S]
"""
import argparse
import csv
import json
import os
import random

# Hubei's divisions with a rough weight (population, in millions); counties sit under their
# prefecture. The codes are GB/T 2260, as in schema.sql.
DIVISIONS = [
    ("420100", "武汉", None, 8.0), ("420102", "江岸", "420100", 1.0), ("420106", "武昌", "420100", 1.2),
    ("420111", "洪山", "420100", 1.6), ("420115", "江夏", "420100", 1.0), ("420116", "黄陂", "420100", 1.1),
    ("420200", "黄石", None, 1.0), ("420281", "大冶", "420200", 0.9), ("420300", "十堰", None, 1.2),
    ("420381", "丹江口", "420300", 0.4), ("420500", "宜昌", None, 1.8), ("420581", "宜都", "420500", 0.4),
    ("420600", "襄阳", None, 2.5), ("420683", "枣阳", "420600", 1.0), ("420682", "老河口", "420600", 0.5),
    ("420700", "鄂州", None, 1.1), ("420800", "荆门", None, 1.4), ("420881", "钟祥", "420800", 0.9),
    ("420900", "孝感", None, 1.6), ("420984", "汉川", "420900", 1.0), ("420981", "应城", "420900", 0.6),
    ("421000", "荆州", None, 2.0), ("421083", "洪湖", "421000", 0.8), ("421100", "黄冈", None, 2.2),
    ("421181", "麻城", "421100", 0.9), ("421200", "咸宁", None, 1.0), ("421281", "赤壁", "421200", 0.5),
    ("421300", "随州", None, 1.0), ("421381", "广水", "421300", 0.7), ("422800", "恩施", None, 1.5),
    ("422802", "利川", "422800", 0.7), ("429004", "仙桃", None, 1.1), ("429005", "潜江", None, 0.9),
    ("429006", "天门", None, 1.1),
]
CATEGORIES = ["电信网络诈骗"] * 6 + ["毒品", "赌博", "涉黄", "涉黑涉恶", "侵犯知识产权", "假冒伪劣", "非法集资", "网络传销", "其他"]
LINK_TYPES = ["引流推广", "话务", "两卡", "技术支持", "信息泄露", "洗钱", "取现", None]
YEARS = range(2019, 2025)
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
NOTES = [None, None, None, "第一批, 集中收网", '扩线深挖"又一批"', "跨省抓捕，涉案人员含\"跑分\"团伙", "备注"]


def spelled(code, rng):
    """The same code in one of the spellings bulletins use: 1.13, 1·13, 1．13 or full width."""
    choice = rng.random()
    if choice < 0.6:
        return code
    if choice < 0.8:
        return code.replace(".", "·")
    if choice < 0.9:
        return code.replace(".", "．")
    return code.translate(FULL_WIDTH)


def heavy_tail(rng, scale):
    """A count with a long tail (Pareto), 1 to 1,000,000."""
    return max(1, min(1_000_000, int(rng.paretovariate(1.3) * scale)))


def date_in(year, rng, precision=None):
    precision = precision or rng.choice(["year", "month", "day", "day", None])
    if precision is None:
        return None
    month = rng.randint(1, 12)
    if precision == "year":
        return f"{year}"
    if precision == "month":
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.outdir, "ref"), exist_ok=True)
    weights = [w for *_, w in DIVISIONS]
    out = lambda name: open(os.path.join(args.outdir, name), "w", newline="", encoding="utf-8")
    with out("cases.jsonl") as jsonl, out("cases.csv") as summary, out("ref/cases.csv") as ref_cases, \
            out("ref/arrests.csv") as ref_arrests, out("ref/gangs.csv") as ref_gangs, out("ref/links.csv") as ref_links:
        summary_writer = csv.writer(summary, lineterminator="\n")
        summary_writer.writerow(["city", "code", "opened", "category", "name", "status", "arrests", "arrests_extended",
                                 "gangs", "links", "source", "note"])
        cases_w = csv.writer(ref_cases, lineterminator="\n")
        arrests_w = csv.writer(ref_arrests, lineterminator="\n")
        gangs_w = csv.writer(ref_gangs, lineterminator="\n")
        links_w = csv.writer(ref_links, lineterminator="\n")
        for i in range(1, args.count + 1):
            city, name, parent, _ = rng.choices(DIVISIONS, weights)[0]
            year = rng.choice(YEARS)
            code = f"{rng.randint(1, 12)}.{i}"
            opened = date_in(year, rng, rng.choice(["year", "month", "day"]))
            category = rng.choice(CATEGORIES)
            closed = rng.random() < 0.3
            status = "closed" if closed else "open"
            note = rng.choice(NOTES)
            source = "生成的基准数据, seed %d" % args.seed
            arrests = []
            for _ in range(rng.randint(1, 10)):
                phase = "extended" if rng.random() < 0.25 else "initial"
                arrests.append({"count": heavy_tail(rng, 3), "phase": phase,
                                "date": date_in(year, rng), "note": rng.choice(NOTES)})
            gangs = [{"count": rng.randint(1, 3), "name": rng.choice([None, f"团伙{j}"]), "members": rng.choice([None, rng.randint(2, 40)]),
                      "date": date_in(year, rng), "note": None} for j in range(rng.randint(0, 5))]
            links = [{"count": rng.randint(1, 2), "type": rng.choice(LINK_TYPES), "name": None,
                      "date": date_in(year, rng), "note": rng.choice(NOTES)} for _ in range(rng.randint(0, 7))]
            document = {"city": name, "code": spelled(code, rng), "year": year,
                        "opened": opened if opened and len(opened) > 4 else None, "closed": None,
                        "category": category, "name": f"{name}“{code}”专案", "status": status, "source": source,
                        "note": note, "arrests": arrests, "gangs": gangs, "links": links}
            jsonl.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
            total = sum(a["count"] for a in arrests)
            extended = sum(a["count"] for a in arrests if a["phase"] == "extended")
            summary_writer.writerow([name, spelled(code, rng), opened or year, category, document["name"], status, total, extended,
                                     sum(g["count"] for g in gangs), sum(l["count"] for l in links), source, note or ""])
            cases_w.writerow([i, city, code, year, document["opened"] or "", "", category, document["name"], status, source, note or ""])
            for a in arrests:
                arrests_w.writerow([i, a["count"], a["phase"], a["date"] or "", a["note"] or ""])
            for g in gangs:
                gangs_w.writerow([i, g["count"], g["name"] or "", g["members"] or "", g["date"] or "", g["note"] or ""])
            for l in links:
                links_w.writerow([i, l["count"], l["type"] or "", l["name"] or "", l["date"] or "", l["note"] or ""])


if __name__ == "__main__":
    main()
