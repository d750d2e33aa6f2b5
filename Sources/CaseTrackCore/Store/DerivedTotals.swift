/// The SQL that recomputes the derived tables — the per-case totals and the report rollup — and
/// finds where they differ from a recomputation (`check`, `check --repair`, a bulk write, an
/// upgrade).
///
/// The two registers keep the per-case totals differently. An SQLite file keeps them by case
/// and year (`case_totals (case_id, year, …)`) and recomputes both tables from the view
/// `case_periods`, the period rule's one statement for sets of rows. A PostgreSQL register keeps
/// them by case, year and month with the case's city and category (schema-postgres.sql), and
/// its rollup is recomputed from them.
enum DerivedTotals {
    /// `case_totals` as it should be on an SQLite file, for the cases `condition` (over
    /// `case_id`) selects, or all: (case_id, year, cases, arrests_initial, arrests_extended,
    /// gangs, links). A range condition lets SQLite read each result table through its index.
    static func recomputedTotalsSQL(where condition: String? = nil) -> String {
        """
        SELECT case_id, year, sum(cases), sum(arrests_initial), sum(arrests_extended), sum(gangs), sum(links)
        FROM case_periods\(condition.map { " WHERE \($0)" } ?? "")
        GROUP BY case_id, year
        """
    }

    /// The per-case totals rows that differ from a recomputation, one `label` each
    /// ("case 3 2023" on a file, "case 3 2023-5" on a server, whose rows are by month).
    static func totalsMismatchSQL(server: Bool) -> String {
        guard server else {
            return """
                WITH expected (case_id, year, cases, ai, ae, g, l) AS (\(recomputedTotalsSQL()))
                SELECT 'case ' || e.case_id || ' ' || e.year AS label FROM expected e
                LEFT JOIN case_totals t ON t.case_id = e.case_id AND t.year = e.year
                WHERE t.case_id IS NULL OR t.cases <> e.cases OR t.arrests_initial <> e.ai OR t.arrests_extended <> e.ae
                   OR t.gangs <> e.g OR t.links <> e.l
                UNION ALL
                SELECT 'case ' || t.case_id || ' ' || t.year FROM case_totals t
                LEFT JOIN expected e ON t.case_id = e.case_id AND t.year = e.year
                WHERE e.case_id IS NULL
                """
        }
        return """
            WITH expected (case_id, year, month, city, category, cases, ai, ae, g, l) AS (\(serverRecomputedTotalsSQL))
            SELECT 'case ' || e.case_id || ' ' || e.year || '-' || e.month AS label FROM expected e
            LEFT JOIN case_totals t ON t.case_id = e.case_id AND t.year = e.year AND t.month = e.month
            WHERE t.case_id IS NULL OR t.cases <> e.cases OR t.arrests_initial <> e.ai OR t.arrests_extended <> e.ae
               OR t.gangs <> e.g OR t.links <> e.l OR t.city IS DISTINCT FROM e.city OR t.category IS DISTINCT FROM e.category
            UNION ALL
            SELECT 'case ' || t.case_id || ' ' || t.year || '-' || t.month FROM case_totals t
            LEFT JOIN expected e ON t.case_id = e.case_id AND t.year = e.year AND t.month = e.month
            WHERE e.case_id IS NULL
            """
    }

    /// A server's `case_totals` as it should be: (case_id, year, month, city, category, cases,
    /// arrests_initial, arrests_extended, gangs, links).
    private static let serverRecomputedTotalsSQL = """
        SELECT r.case_id, r.year, r.month, c.city, c.category, sum(r.cases), sum(r.ai), sum(r.ae), sum(r.g), sum(r.l)
        FROM (
            SELECT id AS case_id, year, CASE WHEN length(opened) >= 7 THEN CAST(substr(opened, 6, 2) AS INTEGER) ELSE 0 END AS month,
                   1 AS cases, 0 AS ai, 0 AS ae, 0 AS g, 0 AS l
            FROM cases
            UNION ALL
            SELECT x.case_id, CAST(substr(p, 1, 4) AS INTEGER), CASE WHEN length(p) >= 7 THEN CAST(substr(p, 6, 2) AS INTEGER) ELSE 0 END,
                   0, ai, ae, g, l
            FROM (SELECT a.case_id, coalesce(a.date, c.opened, CAST(c.year AS TEXT)) AS p,
                         CASE a.phase WHEN 'initial' THEN a.count ELSE 0 END AS ai,
                         CASE a.phase WHEN 'extended' THEN a.count ELSE 0 END AS ae, 0 AS g, 0 AS l
                  FROM arrests a JOIN cases c ON c.id = a.case_id
                  UNION ALL
                  SELECT g.case_id, coalesce(g.date, c.opened, CAST(c.year AS TEXT)), 0, 0, g.count, 0
                  FROM gangs g JOIN cases c ON c.id = g.case_id
                  UNION ALL
                  SELECT l.case_id, coalesce(l.date, c.opened, CAST(c.year AS TEXT)), 0, 0, 0, l.count
                  FROM links l JOIN cases c ON c.id = l.case_id) x
        ) r JOIN cases c ON c.id = r.case_id
        GROUP BY r.case_id, r.year, r.month, c.city, c.category
        """

    /// `report_totals` as it should be: (year, month, city, category, cases, arrests_initial,
    /// arrests_extended, gangs, links), from case_periods on a file, from the per-case totals on
    /// a server.
    static func recomputedRollupSQL(server: Bool) -> String {
        """
        SELECT year, month, city, coalesce(category, ''), sum(cases), sum(arrests_initial), sum(arrests_extended), sum(gangs), sum(links)
        FROM \(server ? "case_totals" : "case_periods") GROUP BY year, month, city, coalesce(category, '')
        """
    }

    /// The rollup rows that differ from a recomputation, one label each.
    static func rollupMismatchSQL(server: Bool) -> String {
        """
        WITH expected (year, month, city, category, cases, ai, ae, g, l) AS (\(recomputedRollupSQL(server: server)))
        SELECT e.year || '-' || e.month || ' ' || e.city || ' ' || e.category AS label FROM expected e
        LEFT JOIN report_totals r ON (r.year, r.month, r.city, r.category) = (e.year, e.month, e.city, e.category)
        WHERE r.year IS NULL OR r.cases <> e.cases OR r.arrests_initial <> e.ai OR r.arrests_extended <> e.ae
           OR r.gangs <> e.g OR r.links <> e.l
        UNION ALL
        SELECT r.year || '-' || r.month || ' ' || r.city || ' ' || r.category FROM report_totals r
        LEFT JOIN expected e ON (r.year, r.month, r.city, r.category) = (e.year, e.month, e.city, e.category)
        WHERE e.year IS NULL
        """
    }
}
