-- Dates. Every file in sql/functions/ is applied after the migrations by `migrate` whenever one of them changed
-- (registry/db.py), so each must be safe to apply again: CREATE OR REPLACE, and a DROP ... IF EXISTS of what a
-- definition replaces when its name, arguments or result type change (or when it is removed).

-- The last day before d + months: a period of `months` starting on d ends on this day.
CREATE OR REPLACE FUNCTION add_months_last_day(d date, months integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (d + make_interval(months => months))::date - 1
$$;

-- A stored (from, to, precision) written back as the partial date the source gave: '2003', '2016-03', 'a/b'.
-- STABLE like to_char(), so that the planner inlines it (a function more volatile than it says is not inlined:
-- ~5 us a call instead of ~0.7).
CREATE OR REPLACE FUNCTION partial_date(d_from date, d_to date, prec text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN d_from IS NULL OR prec = 'unknown' THEN NULL
        WHEN prec = 'year' THEN to_char(d_from, 'YYYY')
        WHEN prec = 'month' THEN to_char(d_from, 'YYYY-MM')
        WHEN prec = 'range' AND d_to IS DISTINCT FROM d_from THEN to_char(d_from, 'YYYY-MM-DD') || '/' || to_char(d_to, 'YYYY-MM-DD')
        ELSE to_char(d_from, 'YYYY-MM-DD')
    END
$$;
