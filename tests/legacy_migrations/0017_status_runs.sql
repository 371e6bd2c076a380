-- 0017 Lists filtered on a status find their units by status instead of probing every unit in list order.
--
-- The list statement walked a country's units in id order and probed each one's status until the page was
-- full: ~250 probes for a page of France's ISO 9001-certified communes (~4 ms), and the whole scope when few
-- or no units have the status (`status=suspended`: ~0.3 s for France, ~1.5 s Europe-wide). An expression
-- index on the spans' `(state).status` cannot be read index-only in PostgreSQL 16.
--
-- adoption_status_run holds, per adoption, the maximal runs of days with one status: the status spans
-- (0007) with neighbours of equal status merged (spans also split where only the last audit or the next due
-- date changes, so there are ~3 times fewer runs). Each run carries its adoption's municipality and model,
-- and one index orders them by status, then municipality id in byte order — the list's order — so a page of
-- one status is an index-only range read; another gives the page's statuses by unit. refresh_status_spans() rewrites an adoption's runs with its spans,
-- so every trigger that keeps the spans true keeps the runs true. tests/test_spans.py checks the runs
-- against the spans, and tests/test_api_read.py the list found by status against the list found by probing.
CREATE TABLE adoption_status_run (
    adoption_id     bigint NOT NULL REFERENCES adoption ON DELETE CASCADE,
    valid_from      date NOT NULL,     -- '-infinity' for the first run
    valid_to        date NOT NULL,     -- exclusive; 'infinity' for the last run
    status          text NOT NULL,
    municipality_id text NOT NULL,     -- the adoption's, copied for the index
    model_code      text NOT NULL,     -- the adoption's, copied for the index
    PRIMARY KEY (adoption_id, valid_from)
);

-- status, then ids in byte order (as municipality_id_c, 0012); model, validity read from the index alone
CREATE INDEX adoption_status_run_list ON adoption_status_run
    (status, (municipality_id COLLATE "C"), model_code) INCLUDE (valid_from, valid_to);

-- a page's statuses on a day: each unit's runs, read from the index alone
CREATE INDEX adoption_status_run_unit ON adoption_status_run (municipality_id)
    INCLUDE (model_code, adoption_id, status, valid_from, valid_to);

-- The runs of some adoptions, from their spans (which must be current).
CREATE FUNCTION refresh_status_runs(p_adoptions bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM adoption_status_run r USING unnest(p_adoptions) AS t(id) WHERE r.adoption_id = t.id;
    INSERT INTO adoption_status_run (adoption_id, valid_from, valid_to, status, municipality_id, model_code)
    SELECT i.adoption_id, min(i.valid_from), max(i.valid_to), i.status, a.municipality_id, a.model_code
    FROM (SELECT s.adoption_id, s.valid_from, s.valid_to, (s.state).status AS status,
                 -- consecutive spans of one status share this number (spans of an adoption are contiguous)
                 row_number() OVER (PARTITION BY s.adoption_id ORDER BY s.valid_from)
                 - row_number() OVER (PARTITION BY s.adoption_id, (s.state).status ORDER BY s.valid_from) AS island
          FROM adoption_status_span s
          WHERE s.adoption_id IN (SELECT DISTINCT t.id FROM unnest(p_adoptions) AS t(id))) i
    JOIN adoption a ON a.id = i.adoption_id
    GROUP BY i.adoption_id, i.status, i.island, a.municipality_id, a.model_code;
$$;

-- refresh_status_spans() keeps its name, which the triggers of 0007 call, and now also rewrites the runs;
-- the body of 0009 is kept as it is under another name.
ALTER FUNCTION refresh_status_spans(bigint[]) RENAME TO write_status_spans;
CREATE FUNCTION refresh_status_spans(p_adoptions bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    written integer;
BEGIN
    written := write_status_spans(p_adoptions);  -- NULL: every adoption, as before
    PERFORM refresh_status_runs(coalesce(p_adoptions, ARRAY(SELECT id FROM adoption)));
    RETURN written;
END
$$;

-- An adoption moved to another municipality or model: its runs carry both, and a model's rules make its
-- spans, so both are rewritten.
CREATE FUNCTION refresh_spans_after_adoption_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_status_spans(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                                        WHERE n.municipality_id IS DISTINCT FROM o.municipality_id
                                           OR n.model_code IS DISTINCT FROM o.model_code));
    RETURN NULL;
END
$$;
CREATE TRIGGER adoption_spans_update AFTER UPDATE ON adoption REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_adoption_move();

SELECT refresh_status_runs(ARRAY(SELECT id FROM adoption));
