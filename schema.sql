-- casetrack schema: the single source of truth, embedded into the binary at build time.
-- Connections run with foreign_keys = ON, journal_mode = WAL and a busy timeout (see CaseStore).
-- Dates are text of three precisions: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (validated below).
-- Counts are whole numbers from 1 to 1,000,000, so no sum over a province can overflow.

-- Administrative divisions (GB/T 2260). A county-level division names its prefecture in
-- `parent`; reports by city roll counties up into it. Divisions governed directly by the
-- province (仙桃, 潜江, 天门, 神农架) are county-level with no parent and stand alone.
CREATE TABLE cities (
    code       TEXT PRIMARY KEY CHECK (length(code) = 6 AND code NOT GLOB '*[^0-9]*'),
    short_name TEXT NOT NULL UNIQUE CHECK (length(short_name) BETWEEN 1 AND 32),
    full_name  TEXT NOT NULL UNIQUE CHECK (length(full_name) BETWEEN 1 AND 64),
    pinyin     TEXT UNIQUE COLLATE NOCASE CHECK (pinyin IS NULL OR pinyin NOT GLOB '*[^a-z]*'),
    parent     TEXT REFERENCES cities(code),
    level      TEXT NOT NULL CHECK (level IN ('prefecture', 'county')),
    change_set INTEGER,
    CHECK (level = 'county' OR parent IS NULL),
    CHECK (parent IS NOT code)
);
CREATE INDEX cities_by_parent ON cities(parent);

-- Other names a division is known by (former names, common abbreviations).
CREATE TABLE city_aliases (
    alias      TEXT PRIMARY KEY COLLATE NOCASE CHECK (length(alias) BETWEEN 1 AND 64),
    city       TEXT NOT NULL REFERENCES cities(code) ON DELETE CASCADE,
    change_set INTEGER
);

-- Case categories (案件类别), each with the other names users type for it.
CREATE TABLE categories (
    name       TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 32),
    change_set INTEGER
);
CREATE TABLE category_aliases (
    alias      TEXT PRIMARY KEY COLLATE NOCASE CHECK (length(alias) BETWEEN 1 AND 32),
    category   TEXT NOT NULL REFERENCES categories(name) ON UPDATE CASCADE ON DELETE CASCADE,
    change_set INTEGER
);

-- Types of link in the criminal industry chain (犯罪环节), each with its other names.
CREATE TABLE link_types (
    name       TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 32),
    change_set INTEGER
);
CREATE TABLE link_type_aliases (
    alias      TEXT PRIMARY KEY COLLATE NOCASE CHECK (length(alias) BETWEEN 1 AND 32),
    link_type  TEXT NOT NULL REFERENCES link_types(name) ON UPDATE CASCADE ON DELETE CASCADE,
    change_set INTEGER
);

-- Special cases (专案). A case is known by its city, its code (normalised to ASCII, e.g.
-- '1.13') and its statistical year, which is the year it was opened. Ids here and in the result
-- tables are never reused (AUTOINCREMENT), so that a record's history stays its own.
CREATE TABLE cases (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    city       TEXT NOT NULL REFERENCES cities(code),
    code       TEXT NOT NULL CHECK (typeof(code) = 'text' AND length(code) BETWEEN 1 AND 64 AND code = trim(code)),
    year       INTEGER NOT NULL CHECK (typeof(year) = 'integer' AND year BETWEEN 1949 AND 2100),
    opened     TEXT CHECK (opened IS NULL
        OR (length(opened) = 4 AND opened GLOB '[12][0-9][0-9][0-9]')
        OR (length(opened) = 7 AND date(opened || '-01', '+0 days') IS opened || '-01')
        OR (length(opened) = 10 AND date(opened, '+0 days') IS opened)),
    closed     TEXT CHECK (closed IS NULL
        OR (length(closed) = 4 AND closed GLOB '[12][0-9][0-9][0-9]')
        OR (length(closed) = 7 AND date(closed || '-01', '+0 days') IS closed || '-01')
        OR (length(closed) = 10 AND date(closed, '+0 days') IS closed)),
    category   TEXT REFERENCES categories(name) ON UPDATE CASCADE,
    name       TEXT CHECK (name IS NULL OR (typeof(name) = 'text' AND length(name) BETWEEN 1 AND 200)),
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    source     TEXT CHECK (source IS NULL OR (typeof(source) = 'text' AND length(source) BETWEEN 1 AND 500)),
    note       TEXT CHECK (note IS NULL OR (typeof(note) = 'text' AND length(note) BETWEEN 1 AND 2000)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- The change set that wrote this version of the row (see "History" below).
    change_set INTEGER,
    UNIQUE (city, code, year),
    -- The statistical year is the opening year.
    CHECK (opened IS NULL OR CAST(substr(opened, 1, 4) AS INTEGER) = year),
    -- A case cannot close before it opened (compared at the coarser of the two precisions).
    CHECK (closed IS NULL OR CAST(substr(closed, 1, 4) AS INTEGER) >= year),
    CHECK (closed IS NULL OR opened IS NULL OR closed >= substr(opened, 1, length(closed))),
    CHECK (closed IS NULL OR status = 'closed')
);
CREATE INDEX cases_by_year_city ON cases(year, city);
CREATE INDEX cases_by_category ON cases(category);

-- Suspects arrested (抓获), in batches: the initial sweep or the extended investigation (扩线深挖).
CREATE TABLE arrests (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    count   INTEGER NOT NULL CHECK (typeof(count) = 'integer' AND count BETWEEN 1 AND 1000000),
    phase   TEXT NOT NULL DEFAULT 'initial' CHECK (phase IN ('initial', 'extended')),
    date    TEXT CHECK (date IS NULL
        OR (length(date) = 4 AND date GLOB '[12][0-9][0-9][0-9]')
        OR (length(date) = 7 AND date(date || '-01', '+0 days') IS date || '-01')
        OR (length(date) = 10 AND date(date, '+0 days') IS date)),
    note    TEXT CHECK (note IS NULL OR (typeof(note) = 'text' AND length(note) BETWEEN 1 AND 2000)),
    change_set INTEGER
);
CREATE INDEX arrests_by_case ON arrests(case_id);

-- Criminal gangs dismantled (打掉犯罪团伙): one named gang, or a bulletin total of several.
CREATE TABLE gangs (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    count   INTEGER NOT NULL DEFAULT 1 CHECK (typeof(count) = 'integer' AND count BETWEEN 1 AND 1000000),
    name    TEXT CHECK (name IS NULL OR (typeof(name) = 'text' AND length(name) BETWEEN 1 AND 200)),
    members INTEGER CHECK (members IS NULL OR (typeof(members) = 'integer' AND members BETWEEN 1 AND 1000000)),
    date    TEXT CHECK (date IS NULL
        OR (length(date) = 4 AND date GLOB '[12][0-9][0-9][0-9]')
        OR (length(date) = 7 AND date(date || '-01', '+0 days') IS date || '-01')
        OR (length(date) = 10 AND date(date, '+0 days') IS date)),
    note    TEXT CHECK (note IS NULL OR (typeof(note) = 'text' AND length(note) BETWEEN 1 AND 2000)),
    change_set INTEGER
);
CREATE INDEX gangs_by_case ON gangs(case_id);

-- Links of the criminal industry chain destroyed (打掉犯罪环节).
CREATE TABLE links (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    count   INTEGER NOT NULL DEFAULT 1 CHECK (typeof(count) = 'integer' AND count BETWEEN 1 AND 1000000),
    type    TEXT REFERENCES link_types(name) ON UPDATE CASCADE,
    name    TEXT CHECK (name IS NULL OR (typeof(name) = 'text' AND length(name) BETWEEN 1 AND 200)),
    date    TEXT CHECK (date IS NULL
        OR (length(date) = 4 AND date GLOB '[12][0-9][0-9][0-9]')
        OR (length(date) = 7 AND date(date || '-01', '+0 days') IS date || '-01')
        OR (length(date) = 10 AND date(date, '+0 days') IS date)),
    note    TEXT CHECK (note IS NULL OR (typeof(note) = 'text' AND length(note) BETWEEN 1 AND 2000)),
    change_set INTEGER
);
CREATE INDEX links_by_case ON links(case_id);

-- While casetrack holds the row of this table — only ever inside its own write transaction, so
-- no other connection sees it — the per-row totals, rollup and search triggers stand aside: a
-- bulk write (an import, the undo of one) recomputes the totals, the rollup and the search index
-- of the cases it touched set-wise before it commits (BulkWrite.swift). Writes from anywhere else keep every
-- trigger.
CREATE TABLE bulk_write (
    active INTEGER PRIMARY KEY CHECK (active = 1)
);

-- Every figure with the period it counts in: a case counts once in its own period (its opening
-- date, else its year), and each result in the period of its own date, or its case's when it
-- has none. `month` is 0 when that period is known only to the year. The one statement of the
-- period rule for whole sets of rows: the per-case totals and the report rollup are recomputed
-- from it (a bulk write, `check`, an upgrade), and the triggers below apply it row by row.
CREATE VIEW case_periods AS
SELECT case_id, CAST(substr(period, 1, 4) AS INTEGER) AS year,
       CASE WHEN length(period) >= 7 THEN CAST(substr(period, 6, 2) AS INTEGER) ELSE 0 END AS month,
       city, category, cases, arrests_initial, arrests_extended, gangs, links
FROM (SELECT c.id AS case_id, c.city AS city, c.category AS category, coalesce(c.opened, CAST(c.year AS TEXT)) AS period,
             1 AS cases, 0 AS arrests_initial, 0 AS arrests_extended, 0 AS gangs, 0 AS links
      FROM cases c
      UNION ALL
      SELECT a.case_id, c.city, c.category, coalesce(a.date, c.opened, CAST(c.year AS TEXT)), 0,
             CASE a.phase WHEN 'initial' THEN a.count ELSE 0 END, CASE a.phase WHEN 'extended' THEN a.count ELSE 0 END, 0, 0
      FROM arrests a JOIN cases c ON c.id = a.case_id
      UNION ALL
      SELECT g.case_id, c.city, c.category, coalesce(g.date, c.opened, CAST(c.year AS TEXT)), 0, 0, 0, g.count, 0
      FROM gangs g JOIN cases c ON c.id = g.case_id
      UNION ALL
      SELECT l.case_id, c.city, c.category, coalesce(l.date, c.opened, CAST(c.year AS TEXT)), 0, 0, 0, 0, l.count
      FROM links l JOIN cases c ON c.id = l.case_id);

-- Per-case totals by year, kept by the triggers below in the same transaction as every write,
-- so that a listing reads one row per case and year instead of every result row. `cases` is 1
-- on the row of the case's own year. A case's results rarely fall outside its year, so this
-- holds about one row per case. `casetrack check` verifies these rows against case_periods.
CREATE TABLE case_totals (
    case_id          INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    year             INTEGER NOT NULL,
    cases            INTEGER NOT NULL DEFAULT 0 CHECK (cases IN (0, 1)),
    arrests_initial  INTEGER NOT NULL DEFAULT 0 CHECK (arrests_initial >= 0),
    arrests_extended INTEGER NOT NULL DEFAULT 0 CHECK (arrests_extended >= 0),
    gangs            INTEGER NOT NULL DEFAULT 0 CHECK (gangs >= 0),
    links            INTEGER NOT NULL DEFAULT 0 CHECK (links >= 0),
    PRIMARY KEY (case_id, year)
) WITHOUT ROWID;

-- The report rollup: totals per division, category ('' for none) and month, kept by the
-- triggers below. It holds at most divisions × categories × months rows however many cases
-- there are, so `report` and `summary` cost the same at 1k and 1M cases. `casetrack check`
-- verifies it against case_periods.
CREATE TABLE report_totals (
    year             INTEGER NOT NULL,
    month            INTEGER NOT NULL,
    city             TEXT NOT NULL,
    category         TEXT NOT NULL,
    cases            INTEGER NOT NULL DEFAULT 0,
    arrests_initial  INTEGER NOT NULL DEFAULT 0,
    arrests_extended INTEGER NOT NULL DEFAULT 0,
    gangs            INTEGER NOT NULL DEFAULT 0,
    links            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, month, city, category)
) WITHOUT ROWID;

-- Every move of the rollup goes through this view, which adds the (possibly negative) figures
-- to their row and drops rows that fall to zero. A bulk write moves it once per period,
-- division and category at its end (BulkWrite.swift).
CREATE VIEW report_total_changes AS
    SELECT year, month, city, category, cases, arrests_initial, arrests_extended, gangs, links
    FROM report_totals WHERE 0;

CREATE TRIGGER report_total_changes_apply INSTEAD OF INSERT ON report_total_changes
BEGIN
    INSERT INTO report_totals (year, month, city, category, cases, arrests_initial, arrests_extended, gangs, links)
    VALUES (NEW.year, NEW.month, NEW.city, coalesce(NEW.category, ''), NEW.cases, NEW.arrests_initial,
            NEW.arrests_extended, NEW.gangs, NEW.links)
    ON CONFLICT (year, month, city, category) DO UPDATE SET
        cases = cases + excluded.cases,
        arrests_initial = arrests_initial + excluded.arrests_initial,
        arrests_extended = arrests_extended + excluded.arrests_extended,
        gangs = gangs + excluded.gangs,
        links = links + excluded.links;
    DELETE FROM report_totals
    WHERE (year, month, city, category) = (NEW.year, NEW.month, NEW.city, coalesce(NEW.category, ''))
      AND cases = 0 AND arrests_initial = 0 AND arrests_extended = 0 AND gangs = 0 AND links = 0;
END;

-- Every change of one row's figures goes through this view: inserting a row adds its
-- (possibly negative) figures to its case's totals for the year of `date` (or of the case,
-- when NULL), dropping rows that fall to zero, and moves the rollup by as much for the period
-- and the case's division and category. The period rule row by row, as case_periods states it.
CREATE VIEW case_total_changes AS
    SELECT case_id, NULL AS date, cases, arrests_initial, arrests_extended, gangs, links
    FROM case_totals WHERE 0;

-- Additions create the year's row when needed.
CREATE TRIGGER case_total_changes_add INSTEAD OF INSERT ON case_total_changes
WHEN min(NEW.cases, NEW.arrests_initial, NEW.arrests_extended, NEW.gangs, NEW.links) >= 0
BEGIN
    INSERT INTO case_totals (case_id, year, cases, arrests_initial, arrests_extended, gangs, links)
    SELECT id, CAST(substr(period, 1, 4) AS INTEGER),
           NEW.cases, NEW.arrests_initial, NEW.arrests_extended, NEW.gangs, NEW.links
    FROM (SELECT id, coalesce(NEW.date, opened, CAST(year AS TEXT)) AS period FROM cases WHERE id = NEW.case_id)
    WHERE true
    ON CONFLICT (case_id, year) DO UPDATE SET
        cases = cases + excluded.cases,
        arrests_initial = arrests_initial + excluded.arrests_initial,
        arrests_extended = arrests_extended + excluded.arrests_extended,
        gangs = gangs + excluded.gangs,
        links = links + excluded.links;
    INSERT INTO report_total_changes
    SELECT CAST(substr(period, 1, 4) AS INTEGER),
           CASE WHEN length(period) >= 7 THEN CAST(substr(period, 6, 2) AS INTEGER) ELSE 0 END,
           city, category, NEW.cases, NEW.arrests_initial, NEW.arrests_extended, NEW.gangs, NEW.links
    FROM (SELECT city, category, coalesce(NEW.date, opened, CAST(year AS TEXT)) AS period FROM cases WHERE id = NEW.case_id);
END;

-- Removals update the existing row (a CHECK would refuse a negative row before any upsert
-- could merge it) and drop it once it holds nothing.
CREATE TRIGGER case_total_changes_remove INSTEAD OF INSERT ON case_total_changes
WHEN min(NEW.cases, NEW.arrests_initial, NEW.arrests_extended, NEW.gangs, NEW.links) < 0
BEGIN
    UPDATE case_totals SET
        cases = cases + NEW.cases,
        arrests_initial = arrests_initial + NEW.arrests_initial,
        arrests_extended = arrests_extended + NEW.arrests_extended,
        gangs = gangs + NEW.gangs,
        links = links + NEW.links
    WHERE case_id = NEW.case_id
      AND year = (SELECT CAST(substr(coalesce(NEW.date, opened, CAST(year AS TEXT)), 1, 4) AS INTEGER)
                  FROM cases WHERE id = NEW.case_id);
    DELETE FROM case_totals
    WHERE case_id = NEW.case_id
      AND cases = 0 AND arrests_initial = 0 AND arrests_extended = 0 AND gangs = 0 AND links = 0;
    INSERT INTO report_total_changes
    SELECT CAST(substr(period, 1, 4) AS INTEGER),
           CASE WHEN length(period) >= 7 THEN CAST(substr(period, 6, 2) AS INTEGER) ELSE 0 END,
           city, category, NEW.cases, NEW.arrests_initial, NEW.arrests_extended, NEW.gangs, NEW.links
    FROM (SELECT city, category, coalesce(NEW.date, opened, CAST(year AS TEXT)) AS period FROM cases WHERE id = NEW.case_id);
END;

CREATE TRIGGER cases_totals_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_total_changes VALUES (NEW.id, NULL, 1, 0, 0, 0, 0);
END;

-- A case moved to another period, division or category takes its figures with it: they leave
-- the rollup where they counted before the change (the period rule applied to the case's old
-- fields: once the row has changed, case_periods can only say where they count now) and arrive
-- where case_periods says they count after it; the case's totals by year are computed afresh.
-- After the update only, so that an update SQLite skips or stops (OR IGNORE, OR FAIL) moves nothing.
CREATE TRIGGER cases_totals_move AFTER UPDATE OF city, category, year, opened ON cases
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
 AND (NEW.city IS NOT OLD.city OR NEW.category IS NOT OLD.category OR NEW.year IS NOT OLD.year OR NEW.opened IS NOT OLD.opened)
BEGIN
    INSERT INTO report_total_changes
    SELECT CAST(substr(period, 1, 4) AS INTEGER),
           CASE WHEN length(period) >= 7 THEN CAST(substr(period, 6, 2) AS INTEGER) ELSE 0 END,
           OLD.city, OLD.category, -sum(cases), -sum(arrests_initial), -sum(arrests_extended), -sum(gangs), -sum(links)
    FROM (SELECT coalesce(OLD.opened, CAST(OLD.year AS TEXT)) AS period, 1 AS cases, 0 AS arrests_initial,
                 0 AS arrests_extended, 0 AS gangs, 0 AS links
          UNION ALL
          SELECT coalesce(date, OLD.opened, CAST(OLD.year AS TEXT)), 0, CASE phase WHEN 'initial' THEN count ELSE 0 END,
                 CASE phase WHEN 'extended' THEN count ELSE 0 END, 0, 0
          FROM arrests WHERE case_id = OLD.id
          UNION ALL
          SELECT coalesce(date, OLD.opened, CAST(OLD.year AS TEXT)), 0, 0, 0, count, 0 FROM gangs WHERE case_id = OLD.id
          UNION ALL
          SELECT coalesce(date, OLD.opened, CAST(OLD.year AS TEXT)), 0, 0, 0, 0, count FROM links WHERE case_id = OLD.id)
    GROUP BY 1, 2;
    INSERT INTO report_total_changes
    SELECT year, month, city, category, sum(cases), sum(arrests_initial), sum(arrests_extended), sum(gangs), sum(links)
    FROM case_periods WHERE case_id = NEW.id
    GROUP BY year, month, city, category;
    DELETE FROM case_totals WHERE case_id = NEW.id;
    INSERT INTO case_totals (case_id, year, cases, arrests_initial, arrests_extended, gangs, links)
    SELECT case_id, year, sum(cases), sum(arrests_initial), sum(arrests_extended), sum(gangs), sum(links)
    FROM case_periods WHERE case_id = NEW.id
    GROUP BY case_id, year;
END;

-- A case's totals go with it even when foreign keys are off (the sqlite3 shell's default), and
-- the case leaves the rollup's count of cases; its results go first, by `cases_delete_results`
-- in the search section below, each taking its figures out of the totals and the rollup.
CREATE TRIGGER cases_delete_totals AFTER DELETE ON cases
BEGIN
    DELETE FROM case_totals WHERE case_id = OLD.id;
    INSERT INTO report_total_changes
    SELECT CAST(substr(period, 1, 4) AS INTEGER),
           CASE WHEN length(period) >= 7 THEN CAST(substr(period, 6, 2) AS INTEGER) ELSE 0 END,
           OLD.city, OLD.category, -1, 0, 0, 0, 0
    FROM (SELECT coalesce(OLD.opened, CAST(OLD.year AS TEXT)) AS period)
    WHERE NOT EXISTS (SELECT 1 FROM bulk_write);
END;

CREATE TRIGGER cases_keep_id BEFORE UPDATE OF id ON cases WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'a case id cannot change');
END;

CREATE TRIGGER cases_touch AFTER UPDATE OF city, code, year, opened, closed, category, name, status, source, note ON cases
WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE cases SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;

CREATE TRIGGER arrests_totals_insert AFTER INSERT ON arrests
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_total_changes VALUES (NEW.case_id, NEW.date, 0, CASE NEW.phase WHEN 'initial' THEN NEW.count ELSE 0 END, CASE NEW.phase WHEN 'extended' THEN NEW.count ELSE 0 END, 0, 0);
END;
CREATE TRIGGER arrests_totals_delete AFTER DELETE ON arrests
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_total_changes VALUES (OLD.case_id, OLD.date, 0, CASE OLD.phase WHEN 'initial' THEN -OLD.count ELSE 0 END, CASE OLD.phase WHEN 'extended' THEN -OLD.count ELSE 0 END, 0, 0);
END;
CREATE TRIGGER arrests_totals_update AFTER UPDATE OF case_id, count, phase, date ON arrests
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_total_changes VALUES (OLD.case_id, OLD.date, 0, CASE OLD.phase WHEN 'initial' THEN -OLD.count ELSE 0 END, CASE OLD.phase WHEN 'extended' THEN -OLD.count ELSE 0 END, 0, 0);
    INSERT INTO case_total_changes VALUES (NEW.case_id, NEW.date, 0, CASE NEW.phase WHEN 'initial' THEN NEW.count ELSE 0 END, CASE NEW.phase WHEN 'extended' THEN NEW.count ELSE 0 END, 0, 0);
END;

CREATE TRIGGER gangs_totals_insert AFTER INSERT ON gangs
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_total_changes VALUES (NEW.case_id, NEW.date, 0, 0, 0, NEW.count, 0);
END;
CREATE TRIGGER gangs_totals_delete AFTER DELETE ON gangs
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_total_changes VALUES (OLD.case_id, OLD.date, 0, 0, 0, -OLD.count, 0);
END;
CREATE TRIGGER gangs_totals_update AFTER UPDATE OF case_id, count, date ON gangs
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_total_changes VALUES (OLD.case_id, OLD.date, 0, 0, 0, -OLD.count, 0);
    INSERT INTO case_total_changes VALUES (NEW.case_id, NEW.date, 0, 0, 0, NEW.count, 0);
END;

CREATE TRIGGER links_totals_insert AFTER INSERT ON links
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_total_changes VALUES (NEW.case_id, NEW.date, 0, 0, 0, 0, NEW.count);
END;
CREATE TRIGGER links_totals_delete AFTER DELETE ON links
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_total_changes VALUES (OLD.case_id, OLD.date, 0, 0, 0, 0, -OLD.count);
END;
CREATE TRIGGER links_totals_update AFTER UPDATE OF case_id, count, date ON links
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_total_changes VALUES (OLD.case_id, OLD.date, 0, 0, 0, 0, -OLD.count);
    INSERT INTO case_total_changes VALUES (NEW.case_id, NEW.date, 0, 0, 0, 0, NEW.count);
END;

-- MARK: Vocabularies as shipped. Users add to them with `casetrack cities|categories|link-types add`.

INSERT INTO cities (code, short_name, full_name, pinyin, parent, level) VALUES
    ('420100', '武汉', '武汉市', 'wuhan', NULL, 'prefecture'),
    ('420102', '江岸', '江岸区', 'jiangan', '420100', 'county'),
    ('420103', '江汉', '江汉区', 'jianghan', '420100', 'county'),
    ('420104', '硚口', '硚口区', 'qiaokou', '420100', 'county'),
    ('420105', '汉阳', '汉阳区', 'hanyang', '420100', 'county'),
    ('420106', '武昌', '武昌区', 'wuchang', '420100', 'county'),
    ('420107', '青山', '青山区', 'qingshan', '420100', 'county'),
    ('420111', '洪山', '洪山区', 'hongshan', '420100', 'county'),
    ('420112', '东西湖', '东西湖区', 'dongxihu', '420100', 'county'),
    ('420113', '汉南', '汉南区', 'hannan', '420100', 'county'),
    ('420114', '蔡甸', '蔡甸区', 'caidian', '420100', 'county'),
    ('420115', '江夏', '江夏区', 'jiangxia', '420100', 'county'),
    ('420116', '黄陂', '黄陂区', 'huangpi', '420100', 'county'),
    ('420117', '新洲', '新洲区', 'xinzhou', '420100', 'county'),
    ('420200', '黄石', '黄石市', 'huangshi', NULL, 'prefecture'),
    ('420202', '黄石港', '黄石港区', 'huangshigang', '420200', 'county'),
    ('420203', '西塞山', '西塞山区', 'xisaishan', '420200', 'county'),
    ('420204', '下陆', '下陆区', 'xialu', '420200', 'county'),
    ('420205', '铁山', '铁山区', 'tieshan', '420200', 'county'),
    ('420222', '阳新', '阳新县', 'yangxin', '420200', 'county'),
    ('420281', '大冶', '大冶市', 'daye', '420200', 'county'),
    ('420300', '十堰', '十堰市', 'shiyan', NULL, 'prefecture'),
    ('420302', '茅箭', '茅箭区', 'maojian', '420300', 'county'),
    ('420303', '张湾', '张湾区', 'zhangwan', '420300', 'county'),
    ('420304', '郧阳', '郧阳区', 'yunyang', '420300', 'county'),
    ('420322', '郧西', '郧西县', 'yunxi', '420300', 'county'),
    ('420323', '竹山', '竹山县', 'zhushan', '420300', 'county'),
    ('420324', '竹溪', '竹溪县', 'zhuxi', '420300', 'county'),
    ('420325', '房县', '房县', 'fangxian', '420300', 'county'),
    ('420381', '丹江口', '丹江口市', 'danjiangkou', '420300', 'county'),
    ('420500', '宜昌', '宜昌市', 'yichang', NULL, 'prefecture'),
    ('420502', '西陵', '西陵区', 'xiling', '420500', 'county'),
    ('420503', '伍家岗', '伍家岗区', 'wujiagang', '420500', 'county'),
    ('420504', '点军', '点军区', 'dianjun', '420500', 'county'),
    ('420505', '猇亭', '猇亭区', 'xiaoting', '420500', 'county'),
    ('420506', '夷陵', '夷陵区', 'yiling', '420500', 'county'),
    ('420525', '远安', '远安县', 'yuanan', '420500', 'county'),
    ('420526', '兴山', '兴山县', 'xingshan', '420500', 'county'),
    ('420527', '秭归', '秭归县', 'zigui', '420500', 'county'),
    ('420528', '长阳', '长阳土家族自治县', 'changyang', '420500', 'county'),
    ('420529', '五峰', '五峰土家族自治县', 'wufeng', '420500', 'county'),
    ('420581', '宜都', '宜都市', 'yidu', '420500', 'county'),
    ('420582', '当阳', '当阳市', 'dangyang', '420500', 'county'),
    ('420583', '枝江', '枝江市', 'zhijiang', '420500', 'county'),
    ('420600', '襄阳', '襄阳市', 'xiangyang', NULL, 'prefecture'),
    ('420602', '襄城', '襄城区', 'xiangcheng', '420600', 'county'),
    ('420606', '樊城', '樊城区', 'fancheng', '420600', 'county'),
    ('420607', '襄州', '襄州区', 'xiangzhou', '420600', 'county'),
    ('420624', '南漳', '南漳县', 'nanzhang', '420600', 'county'),
    ('420625', '谷城', '谷城县', 'gucheng', '420600', 'county'),
    ('420626', '保康', '保康县', 'baokang', '420600', 'county'),
    ('420682', '老河口', '老河口市', 'laohekou', '420600', 'county'),
    ('420683', '枣阳', '枣阳市', 'zaoyang', '420600', 'county'),
    ('420684', '宜城', '宜城市', 'yicheng', '420600', 'county'),
    ('420700', '鄂州', '鄂州市', 'ezhou', NULL, 'prefecture'),
    ('420702', '梁子湖', '梁子湖区', 'liangzihu', '420700', 'county'),
    ('420703', '华容', '华容区', 'huarong', '420700', 'county'),
    ('420704', '鄂城', '鄂城区', 'echeng', '420700', 'county'),
    ('420800', '荆门', '荆门市', 'jingmen', NULL, 'prefecture'),
    ('420802', '东宝', '东宝区', 'dongbao', '420800', 'county'),
    ('420804', '掇刀', '掇刀区', 'duodao', '420800', 'county'),
    ('420822', '沙洋', '沙洋县', 'shayang', '420800', 'county'),
    ('420881', '钟祥', '钟祥市', 'zhongxiang', '420800', 'county'),
    ('420882', '京山', '京山市', 'jingshan', '420800', 'county'),
    ('420900', '孝感', '孝感市', 'xiaogan', NULL, 'prefecture'),
    ('420902', '孝南', '孝南区', 'xiaonan', '420900', 'county'),
    ('420921', '孝昌', '孝昌县', 'xiaochang', '420900', 'county'),
    ('420922', '大悟', '大悟县', 'dawu', '420900', 'county'),
    ('420923', '云梦', '云梦县', 'yunmeng', '420900', 'county'),
    ('420981', '应城', '应城市', 'yingcheng', '420900', 'county'),
    ('420982', '安陆', '安陆市', 'anlu', '420900', 'county'),
    ('420984', '汉川', '汉川市', 'hanchuan', '420900', 'county'),
    ('421000', '荆州', '荆州市', 'jingzhou', NULL, 'prefecture'),
    ('421002', '沙市', '沙市区', 'shashi', '421000', 'county'),
    ('421003', '荆州区', '荆州区', 'jingzhouqu', '421000', 'county'),
    ('421022', '公安', '公安县', 'gongan', '421000', 'county'),
    ('421024', '江陵', '江陵县', 'jiangling', '421000', 'county'),
    ('421081', '石首', '石首市', 'shishou', '421000', 'county'),
    ('421083', '洪湖', '洪湖市', 'honghu', '421000', 'county'),
    ('421087', '松滋', '松滋市', 'songzi', '421000', 'county'),
    ('421088', '监利', '监利市', 'jianli', '421000', 'county'),
    ('421100', '黄冈', '黄冈市', 'huanggang', NULL, 'prefecture'),
    ('421102', '黄州', '黄州区', 'huangzhou', '421100', 'county'),
    ('421121', '团风', '团风县', 'tuanfeng', '421100', 'county'),
    ('421122', '红安', '红安县', 'hongan', '421100', 'county'),
    ('421123', '罗田', '罗田县', 'luotian', '421100', 'county'),
    ('421124', '英山', '英山县', 'yingshan', '421100', 'county'),
    ('421125', '浠水', '浠水县', 'xishui', '421100', 'county'),
    ('421126', '蕲春', '蕲春县', 'qichun', '421100', 'county'),
    ('421127', '黄梅', '黄梅县', 'huangmei', '421100', 'county'),
    ('421181', '麻城', '麻城市', 'macheng', '421100', 'county'),
    ('421182', '武穴', '武穴市', 'wuxue', '421100', 'county'),
    ('421200', '咸宁', '咸宁市', 'xianning', NULL, 'prefecture'),
    ('421202', '咸安', '咸安区', 'xianan', '421200', 'county'),
    ('421221', '嘉鱼', '嘉鱼县', 'jiayu', '421200', 'county'),
    ('421222', '通城', '通城县', 'tongcheng', '421200', 'county'),
    ('421223', '崇阳', '崇阳县', 'chongyang', '421200', 'county'),
    ('421224', '通山', '通山县', 'tongshan', '421200', 'county'),
    ('421281', '赤壁', '赤壁市', 'chibi', '421200', 'county'),
    ('421300', '随州', '随州市', 'suizhou', NULL, 'prefecture'),
    ('421303', '曾都', '曾都区', 'zengdu', '421300', 'county'),
    ('421321', '随县', '随县', 'suixian', '421300', 'county'),
    ('421381', '广水', '广水市', 'guangshui', '421300', 'county'),
    ('422800', '恩施', '恩施土家族苗族自治州', 'enshi', NULL, 'prefecture'),
    ('422801', '恩施市', '恩施市', 'enshishi', '422800', 'county'),
    ('422802', '利川', '利川市', 'lichuan', '422800', 'county'),
    ('422822', '建始', '建始县', 'jianshi', '422800', 'county'),
    ('422823', '巴东', '巴东县', 'badong', '422800', 'county'),
    ('422825', '宣恩', '宣恩县', 'xuanen', '422800', 'county'),
    ('422826', '咸丰', '咸丰县', 'xianfeng', '422800', 'county'),
    ('422827', '来凤', '来凤县', 'laifeng', '422800', 'county'),
    ('422828', '鹤峰', '鹤峰县', 'hefeng', '422800', 'county'),
    ('429004', '仙桃', '仙桃市', 'xiantao', NULL, 'county'),
    ('429005', '潜江', '潜江市', 'qianjiang', NULL, 'county'),
    ('429006', '天门', '天门市', 'tianmen', NULL, 'county'),
    ('429021', '神农架', '神农架林区', 'shennongjia', NULL, 'county');

INSERT INTO city_aliases (alias, city) VALUES
    ('襄樊', '420600'), ('襄樊市', '420600'), ('恩施州', '422800'), ('郧县', '420304'),
    ('京山县', '420882'), ('监利县', '421088'), ('随州市曾都区', '421303');

INSERT INTO categories (name) VALUES
    ('电信网络诈骗'), ('毒品'), ('赌博'), ('涉黄'), ('涉黑涉恶'), ('侵犯知识产权'),
    ('假冒伪劣'), ('非法集资'), ('网络传销'), ('其他');
INSERT INTO category_aliases (alias, category) VALUES
    ('电信诈骗', '电信网络诈骗'), ('电诈', '电信网络诈骗'), ('诈骗', '电信网络诈骗'),
    ('网络诈骗', '电信网络诈骗'), ('telecom-fraud', '电信网络诈骗'), ('fraud', '电信网络诈骗'),
    ('涉毒', '毒品'), ('drugs', '毒品'),
    ('网络赌博', '赌博'), ('跨境赌博', '赌博'), ('gambling', '赌博'),
    ('卖淫嫖娼', '涉黄'), ('黑恶', '涉黑涉恶'), ('扫黑除恶', '涉黑涉恶'),
    ('侵权', '侵犯知识产权'), ('制假售假', '假冒伪劣'), ('集资诈骗', '非法集资'),
    ('传销', '网络传销'), ('other', '其他');

INSERT INTO link_types (name) VALUES
    ('引流推广'), ('话务'), ('两卡'), ('技术支持'), ('信息泄露'), ('洗钱'), ('取现'), ('其他');
INSERT INTO link_type_aliases (alias, link_type) VALUES
    ('引流', '引流推广'), ('推广', '引流推广'),
    ('诈骗实施', '话务'), ('话务窝点', '话务'), ('呼叫中心', '话务'),
    ('贩卡', '两卡'), ('卡商', '两卡'), ('电话卡', '两卡'), ('银行卡', '两卡'),
    ('技术', '技术支持'), ('个人信息', '信息泄露'),
    ('跑分', '洗钱'), ('洗钱跑分', '洗钱'), ('车手', '取现'), ('取款', '取现');

-- MARK: History

-- casetrack keeps history the way SQL:2011 system-versioned tables do. Every versioned table
-- (the cases, their results and the vocabularies) carries `change_set`: the change set that
-- wrote the row's current version, so an insert writes nothing else. An update or a delete
-- files the old version in `history`, with the change set that wrote it (`valid_from`) and the
-- one that replaced or removed it. The triggers that do this are generated from the tables'
-- columns when the database is created or upgraded (HistoryTriggers.swift), so that no column
-- can be forgotten; `casetrack check` verifies that each one exists exactly as generated.

-- One change set per casetrack command that changed something (an import of 10,000 cases is
-- one change set). casetrack opens its change set at the start of its write transaction and
-- closes it before committing; writes from elsewhere (the sqlite3 shell) are gathered into an
-- open change set named 'outside casetrack' until casetrack next writes (which drops it when it
-- recorded nothing: the history triggers open it before a row that SQLite may then skip).
-- `undoes` names the change set an undo reverted.
CREATE TABLE change_sets (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    user    TEXT,
    command TEXT NOT NULL,
    undoes  INTEGER REFERENCES change_sets(id),
    open    INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
    -- SHA-256 over the change set's metadata and its history rows, chained to the previous
    -- digest (ChangeSetDigest.swift); NULL for change sets written outside casetrack.
    digest  TEXT
);
CREATE INDEX change_sets_open ON change_sets(open) WHERE open = 1;

-- The cases whose rows each change set wrote: a pair (change set, case) for every case, result
-- and chain link row, naming the change set it carries and its case. Undo, redo, `log` and the
-- guards below find a change set's rows through it (one pair per case a change set wrote, where
-- an index on change_set would take one entry per row). It may name more than the rows carry
-- now (a row changed again later, or removed): it only says where to look. Kept by the
-- generated history triggers, and by a bulk write for every case it touched (BulkWrite.swift);
-- `casetrack check` verifies that every row is named.
CREATE TABLE change_set_cases (
    change_set INTEGER NOT NULL,
    case_id    INTEGER NOT NULL,
    PRIMARY KEY (change_set, case_id)
) WITHOUT ROWID;

-- Old versions of rows, append-only: which row (table and rowid, and the case it belongs to),
-- whether it was updated or deleted, by which change set, and the whole old row as JSON.
CREATE TABLE history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    change_set INTEGER NOT NULL REFERENCES change_sets(id),
    table_name TEXT NOT NULL,
    row_id     INTEGER NOT NULL,
    case_id    INTEGER,
    action     TEXT NOT NULL CHECK (action IN ('update', 'delete')),
    valid_from INTEGER,
    image      TEXT NOT NULL CHECK (json_valid(image))
);
CREATE INDEX history_by_change_set ON history(change_set);
CREATE INDEX history_by_valid_from ON history(valid_from);
CREATE INDEX history_by_row ON history(table_name, row_id);
CREATE INDEX history_by_case ON history(case_id) WHERE case_id IS NOT NULL;

CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
BEGIN
    SELECT RAISE(ABORT, 'history rows cannot be changed');
END;
CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
BEGIN
    SELECT RAISE(ABORT, 'history rows cannot be deleted');
END;
-- Nor is a change set's list of cases changed: a pair taken away would hide rows from undo.
CREATE TRIGGER change_set_cases_are_kept_update BEFORE UPDATE ON change_set_cases
BEGIN
    SELECT RAISE(ABORT, 'the cases of a change set cannot be changed');
END;
CREATE TRIGGER change_set_cases_are_kept_delete BEFORE DELETE ON change_set_cases
BEGIN
    SELECT RAISE(ABORT, 'the cases of a change set cannot be deleted');
END;
-- A change set may only be closed (and given its digest as it closes), and only an empty open
-- one may be dropped.
CREATE TRIGGER change_sets_are_kept_update BEFORE UPDATE ON change_sets
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.user IS NOT OLD.user
  OR NEW.command IS NOT OLD.command OR NEW.undoes IS NOT OLD.undoes OR NEW.open > OLD.open
  OR (NEW.digest IS NOT OLD.digest AND NOT (OLD.open = 1 AND NEW.open = 0 AND OLD.digest IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'change sets cannot be rewritten');
END;
CREATE TRIGGER change_sets_are_kept_delete BEFORE DELETE ON change_sets
WHEN OLD.open = 0 OR EXISTS (SELECT 1 FROM history WHERE change_set = OLD.id)
  OR EXISTS (SELECT 1 FROM change_set_cases WHERE change_set = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'change sets cannot be deleted');
END;

-- MARK: Search and views

-- The text `casetrack search` looks through, one document per case: its name, code, note and
-- source, then the names and notes of its gangs and chain links (in id order), each ended by a
-- line break. The break ends every piece of text with a character, so that any two characters
-- of it begin at least one three-character token of the index (see case_search).
CREATE VIEW case_search_text AS
SELECT c.id AS id,
       coalesce(c.name || char(10), '') || c.code || char(10) || coalesce(c.note || char(10), '')
       || coalesce(c.source || char(10), '')
       || coalesce((SELECT group_concat(t, '') FROM (
              SELECT coalesce(g.name || char(10), '') || coalesce(g.note || char(10), '') AS t
              FROM gangs g WHERE g.case_id = c.id AND (g.name IS NOT NULL OR g.note IS NOT NULL) ORDER BY g.id)), '')
       || coalesce((SELECT group_concat(t, '') FROM (
              SELECT coalesce(l.name || char(10), '') || coalesce(l.note || char(10), '') AS t
              FROM links l WHERE l.case_id = c.id AND (l.name IS NOT NULL OR l.note IS NOT NULL) ORDER BY l.id)), '') AS text
FROM cases c;

-- The full-text index over case_search_text: SQLite's built-in trigram tokenizer (so that the
-- sqlite3 shell, which knows no casetrack code, can write and the triggers below still index),
-- positions kept (detail=full) so that a longer word matches only as a whole, the text itself
-- not copied (external content). A word of three or more characters is a phrase of trigrams; a
-- two-character word is every trigram it begins (casetrack search looks them up in
-- case_search_terms). Kept in step by the triggers below, rebuilt by the v4 upgrade with
-- INSERT INTO case_search(case_search) VALUES ('rebuild'), verified by `casetrack check`.
CREATE VIRTUAL TABLE case_search USING fts5(
    text, content = 'case_search_text', content_rowid = 'id', tokenize = 'trigram', detail = full);
CREATE VIRTUAL TABLE case_search_terms USING fts5vocab(case_search, row);

-- An external-content index must be told the old text to forget it, so each change notes the
-- case's document before the write (BEFORE) and, after it (AFTER), has the index forget the
-- noted text and index the new one. Forgetting waits for AFTER because SQLite runs no AFTER
-- trigger for a row it skips or stops at (UPDATE OR IGNORE, INSERT OR FAIL…): the index must not
-- forget a text that stays. A note left by such a row is replaced by its case's next change
-- (deleted, then written: a trigger's INSERT OR REPLACE would take the conflict clause of the
-- statement that fired it, and UPDATE OR FAIL would then fail on the old note). A gang or link with neither name nor note adds nothing to the text, and changes nothing here.
-- When a case is deleted its results go by cascade after it, when it is no longer there to index.
CREATE TABLE search_text_replaced (
    case_id INTEGER PRIMARY KEY,
    text    TEXT NOT NULL
);

CREATE TRIGGER case_search_case_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE id = NEW.id;
END;
CREATE TRIGGER case_search_case_before_update BEFORE UPDATE OF name, code, note, source ON cases
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    DELETE FROM search_text_replaced WHERE case_id = OLD.id;
    INSERT INTO search_text_replaced (case_id, text) SELECT id, text FROM case_search_text WHERE id = OLD.id;
END;
CREATE TRIGGER case_search_case_after_update AFTER UPDATE OF name, code, note, source ON cases
WHEN NOT EXISTS (SELECT 1 FROM bulk_write)
BEGIN
    INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', case_id, text FROM search_text_replaced WHERE case_id = NEW.id;
    DELETE FROM search_text_replaced WHERE case_id = NEW.id;
    INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE id = NEW.id;
END;
-- A case takes its results with it even when foreign keys are off (the sqlite3 shell's
-- default), so that no result is ever orphaned; each removal is recorded by its own triggers,
-- which also rewrite the case's search document; the document is forgotten last, with the
-- text it then has.
CREATE TRIGGER cases_delete_results BEFORE DELETE ON cases
BEGIN
    DELETE FROM arrests WHERE case_id = OLD.id;
    DELETE FROM gangs WHERE case_id = OLD.id;
    DELETE FROM links WHERE case_id = OLD.id;
    INSERT INTO case_search (case_search, rowid, text)
    SELECT 'delete', id, text FROM case_search_text WHERE id = OLD.id AND NOT EXISTS (SELECT 1 FROM bulk_write);
END;

CREATE TRIGGER case_search_gang_before_insert BEFORE INSERT ON gangs
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (NEW.name IS NOT NULL OR NEW.note IS NOT NULL)
BEGIN
    DELETE FROM search_text_replaced WHERE case_id = NEW.case_id;
    INSERT INTO search_text_replaced (case_id, text) SELECT id, text FROM case_search_text WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_search_gang_after_insert AFTER INSERT ON gangs
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (NEW.name IS NOT NULL OR NEW.note IS NOT NULL)
BEGIN
    INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', case_id, text FROM search_text_replaced WHERE case_id = NEW.case_id;
    DELETE FROM search_text_replaced WHERE case_id = NEW.case_id;
    INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_search_gang_before_update BEFORE UPDATE OF case_id, name, note ON gangs
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (OLD.case_id IS NOT NEW.case_id OR OLD.name IS NOT NEW.name OR OLD.note IS NOT NEW.note)
BEGIN
    DELETE FROM search_text_replaced WHERE case_id IN (OLD.case_id, NEW.case_id);
    INSERT INTO search_text_replaced (case_id, text) SELECT id, text FROM case_search_text WHERE id IN (OLD.case_id, NEW.case_id);
END;
CREATE TRIGGER case_search_gang_after_update AFTER UPDATE OF case_id, name, note ON gangs
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (OLD.case_id IS NOT NEW.case_id OR OLD.name IS NOT NEW.name OR OLD.note IS NOT NEW.note)
BEGIN
    INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', case_id, text FROM search_text_replaced WHERE case_id IN (OLD.case_id, NEW.case_id);
    DELETE FROM search_text_replaced WHERE case_id IN (OLD.case_id, NEW.case_id);
    INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE id IN (OLD.case_id, NEW.case_id);
END;
CREATE TRIGGER case_search_gang_before_delete BEFORE DELETE ON gangs
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (OLD.name IS NOT NULL OR OLD.note IS NOT NULL)
BEGIN
    DELETE FROM search_text_replaced WHERE case_id = OLD.case_id;
    INSERT INTO search_text_replaced (case_id, text) SELECT id, text FROM case_search_text WHERE id = OLD.case_id;
END;
CREATE TRIGGER case_search_gang_after_delete AFTER DELETE ON gangs
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (OLD.name IS NOT NULL OR OLD.note IS NOT NULL)
BEGIN
    INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', case_id, text FROM search_text_replaced WHERE case_id = OLD.case_id;
    DELETE FROM search_text_replaced WHERE case_id = OLD.case_id;
    INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE id = OLD.case_id;
END;

CREATE TRIGGER case_search_link_before_insert BEFORE INSERT ON links
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (NEW.name IS NOT NULL OR NEW.note IS NOT NULL)
BEGIN
    DELETE FROM search_text_replaced WHERE case_id = NEW.case_id;
    INSERT INTO search_text_replaced (case_id, text) SELECT id, text FROM case_search_text WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_search_link_after_insert AFTER INSERT ON links
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (NEW.name IS NOT NULL OR NEW.note IS NOT NULL)
BEGIN
    INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', case_id, text FROM search_text_replaced WHERE case_id = NEW.case_id;
    DELETE FROM search_text_replaced WHERE case_id = NEW.case_id;
    INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_search_link_before_update BEFORE UPDATE OF case_id, name, note ON links
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (OLD.case_id IS NOT NEW.case_id OR OLD.name IS NOT NEW.name OR OLD.note IS NOT NEW.note)
BEGIN
    DELETE FROM search_text_replaced WHERE case_id IN (OLD.case_id, NEW.case_id);
    INSERT INTO search_text_replaced (case_id, text) SELECT id, text FROM case_search_text WHERE id IN (OLD.case_id, NEW.case_id);
END;
CREATE TRIGGER case_search_link_after_update AFTER UPDATE OF case_id, name, note ON links
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (OLD.case_id IS NOT NEW.case_id OR OLD.name IS NOT NEW.name OR OLD.note IS NOT NEW.note)
BEGIN
    INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', case_id, text FROM search_text_replaced WHERE case_id IN (OLD.case_id, NEW.case_id);
    DELETE FROM search_text_replaced WHERE case_id IN (OLD.case_id, NEW.case_id);
    INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE id IN (OLD.case_id, NEW.case_id);
END;
CREATE TRIGGER case_search_link_before_delete BEFORE DELETE ON links
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (OLD.name IS NOT NULL OR OLD.note IS NOT NULL)
BEGIN
    DELETE FROM search_text_replaced WHERE case_id = OLD.case_id;
    INSERT INTO search_text_replaced (case_id, text) SELECT id, text FROM case_search_text WHERE id = OLD.case_id;
END;
CREATE TRIGGER case_search_link_after_delete AFTER DELETE ON links
WHEN NOT EXISTS (SELECT 1 FROM bulk_write) AND (OLD.name IS NOT NULL OR OLD.note IS NOT NULL)
BEGIN
    INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', case_id, text FROM search_text_replaced WHERE case_id = OLD.case_id;
    DELETE FROM search_text_replaced WHERE case_id = OLD.case_id;
    INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE id = OLD.case_id;
END;

-- Views for questions asked in SQL (`casetrack sql`, or the sqlite3 shell). They are part of
-- casetrack's stable interface: upgrades keep their columns, names and order (a test compares
-- them with Tests/CaseTrackCoreTests/Fixtures/views.txt); new columns may only be appended.

-- One row per case: its division, the prefecture it rolls up into, its fields and its totals.
-- `ref` is the reference `case show` takes (襄阳"1.13"; @YEAR is added when the city used the
-- code in several years).
CREATE VIEW cases_v AS
SELECT c.id AS id,
       ci.short_name || '"' || c.code || '"'
           || CASE WHEN EXISTS (SELECT 1 FROM cases o WHERE o.city = c.city AND o.code = c.code AND o.id <> c.id)
                   THEN '@' || c.year ELSE '' END AS ref,
       ci.short_name AS city, c.city AS city_code, coalesce(p.short_name, ci.short_name) AS prefecture,
       c.code AS code, c.year AS year, c.opened AS opened, c.closed AS closed, c.category AS category,
       c.name AS name, c.status AS status, c.source AS source, c.note AS note,
       coalesce(t.arrests_initial + t.arrests_extended, 0) AS arrests,
       coalesce(t.arrests_initial, 0) AS arrests_initial, coalesce(t.arrests_extended, 0) AS arrests_extended,
       coalesce(t.gangs, 0) AS gangs, coalesce(t.links, 0) AS links
FROM cases c
JOIN cities ci ON ci.code = c.city
LEFT JOIN cities p ON p.code = ci.parent
LEFT JOIN (SELECT case_id, sum(arrests_initial) AS arrests_initial, sum(arrests_extended) AS arrests_extended,
                  sum(gangs) AS gangs, sum(links) AS links
           FROM case_totals GROUP BY case_id) t ON t.case_id = c.id;

-- One row per result row: its kind ('arrest', 'gang' or 'link'), id and case, the phase of an
-- arrest batch, the type of a chain link, its count, name, members, date and note, and the
-- period it counts in (its own date's year, else its case's year).
CREATE VIEW results_v AS
SELECT r.kind AS kind, r.id AS id, r.case_id AS case_id,
       ci.short_name || '"' || c.code || '"'
           || CASE WHEN EXISTS (SELECT 1 FROM cases o WHERE o.city = c.city AND o.code = c.code AND o.id <> c.id)
                   THEN '@' || c.year ELSE '' END AS ref,
       ci.short_name AS city, coalesce(p.short_name, ci.short_name) AS prefecture, c.category AS category,
       r.phase AS phase, r.type AS type, r.count AS count, r.name AS name, r.members AS members,
       r.date AS date, CAST(substr(coalesce(r.date, c.opened, c.year), 1, 4) AS INTEGER) AS year, r.note AS note
FROM (SELECT 'arrest' AS kind, id, case_id, phase, NULL AS type, count, NULL AS name, NULL AS members, date, note FROM arrests
      UNION ALL
      SELECT 'gang', id, case_id, NULL, NULL, count, name, members, date, note FROM gangs
      UNION ALL
      SELECT 'link', id, case_id, NULL, type, count, name, NULL, date, note FROM links) r
JOIN cases c ON c.id = r.case_id
JOIN cities ci ON ci.code = c.city
LEFT JOIN cities p ON p.code = ci.parent;

-- Per case and period: the figures that count in each year and month (`month` is NULL for
-- figures known only to the year; `period` is then 'YYYY-unknown', else 'YYYY-MM'), with the
-- case's division, prefecture and category. `cases` is 1 in the period the case was opened.
-- (The union's empty last arm gives the columns the declared types they have always had: SQLite
-- takes a compound's types from its last arm.)
CREATE VIEW totals_v AS
SELECT t.case_id AS case_id, t.year AS year, nullif(t.month, 0) AS month,
       t.year || '-' || CASE t.month WHEN 0 THEN 'unknown' ELSE substr('0' || t.month, -2) END AS period,
       ci.short_name AS city, coalesce(p.short_name, ci.short_name) AS prefecture, t.category AS category,
       t.cases AS cases, t.arrests_initial + t.arrests_extended AS arrests,
       t.arrests_initial AS arrests_initial, t.arrests_extended AS arrests_extended, t.gangs AS gangs, t.links AS links
FROM (SELECT case_id, year, month, city, category, sum(cases) AS cases, sum(arrests_initial) AS arrests_initial,
             sum(arrests_extended) AS arrests_extended, sum(gangs) AS gangs, sum(links) AS links
      FROM case_periods GROUP BY case_id, year, month, city, category
      UNION ALL
      SELECT t.case_id, t.year, 0, c.city, c.category, t.cases, t.arrests_initial, t.arrests_extended, t.gangs, t.links
      FROM case_totals t JOIN cases c ON c.id = t.case_id WHERE 0) t
JOIN cities ci ON ci.code = t.city
LEFT JOIN cities p ON p.code = ci.parent;
