-- Status spans: per adoption, the periods over which its state does not change (adoption_status_span), and the
-- runs of one status they merge into (adoption_status_run), rewritten by triggers on every statement that writes
-- events, adoptions, editions or models. tests/test_spans.py checks them day by day against the derivation.

-- Every day on which an adoption's state can change under its lifecycle's rules: when events surely happened, and
-- the thresholds the rules compare as_of with. Certifiable models: validity ends and renewal chains, surveillance
-- and grace periods, edition deadlines; assessed models: label and activity windows. A threshold X compared as
-- `as_of > X` can only change the state on X + 1 (the next-audit date, compared once more for `overdue`, also
-- on X + 2).
CREATE OR REPLACE FUNCTION adoption_breakpoints(m model, evs event[], eds edition[]) RETURNS date[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    e       event;
    ed      edition;
    out     date[] := '{}';
    v       date;
    k       integer;
    cycles  integer := 0;
    cycle   integer := coalesce(m.cycle_months, 36);
    interval_m integer := coalesce(m.surveillance_interval_months, 12);
    gap     integer := coalesce(m.surveillance_interval_months, 12) + coalesce(m.surveillance_grace_months, 6);
BEGIN
    IF m.lifecycle = 'assessment' THEN
        FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
            CONTINUE WHEN e.date_to IS NULL;
            out := out || e.date_to || e.date_from
                       || (add_months_last_day(e.date_to, coalesce(m.label_validity_months, 24)) + 1)
                       || (add_months_last_day(e.date_to, coalesce(m.activity_window_months, 24)) + 1)
                       || (e.valid_until + 1);
        END LOOP;
    ELSE
        FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
            IF e.type IN ('certification', 'recertification') THEN cycles := cycles + 1; END IF;
        END LOOP;
        FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
            CONTINUE WHEN e.date_to IS NULL;
            out := out || e.date_to || e.date_from
                       || (add_months_last_day(e.date_to, cycle) + 1)
                       || (add_months_last_day(e.date_to, interval_m) + 1)
                       || (add_months_last_day(e.date_to, interval_m) + 2)
                       || (add_months_last_day(e.date_to, gap) + 1)
                       || (e.valid_until + 1);
            IF e.type IN ('certification', 'recertification') THEN
                v := add_months_last_day(e.date_to, cycle);
                FOR k IN 1 .. cycles LOOP   -- renewal chains: each expiry follows the previous by a cycle
                    v := add_months_last_day(v + 1, cycle);
                    out := out || (v + 1);
                END LOOP;
                IF e.valid_until IS NOT NULL THEN
                    v := e.valid_until;
                    FOR k IN 1 .. cycles LOOP
                        v := add_months_last_day(v + 1, cycle);
                        out := out || (v + 1);
                    END LOOP;
                END IF;
            END IF;
        END LOOP;
        FOREACH ed IN ARRAY coalesce(eds, '{}') LOOP
            IF ed.certificates_valid_until IS NOT NULL THEN
                out := out || (ed.certificates_valid_until + 1);
            END IF;
        END LOOP;
    END IF;
    RETURN ARRAY(SELECT DISTINCT d FROM unnest(out) AS d WHERE d IS NOT NULL ORDER BY d);
END
$$;

-- The spans of one adoption: its state before any breakpoint (as on 0001-01-01), then a new span at each
-- breakpoint where the state differs from the one before.
CREATE OR REPLACE FUNCTION adoption_spans(m model, evs event[], eds edition[])
RETURNS TABLE (valid_from date, valid_to date, state adoption_state)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    d       date;
    st      adoption_state;
BEGIN
    valid_from := '-infinity';
    state := adoption_state_from(m, evs, eds, '0001-01-01'::date);
    FOREACH d IN ARRAY adoption_breakpoints(m, evs, eds) LOOP
        st := adoption_state_from(m, evs, eds, d);
        IF st IS DISTINCT FROM state THEN
            valid_to := d;
            RETURN NEXT;
            valid_from := d;
            state := st;
        END IF;
    END LOOP;
    valid_to := 'infinity';
    RETURN NEXT;
END
$$;

-- The spans of some adoptions (NULL: all of them), in one INSERT ... SELECT over adoption_spans() (a refresh of
-- one adoption joins it by primary key, of all of them hashes), each with its adoption's dated-event summary.
-- Called by refresh_status_spans(), which then rewrites the runs.
CREATE OR REPLACE FUNCTION write_status_spans(p_adoptions bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    written integer;
BEGIN
    IF p_adoptions IS NULL THEN
        p_adoptions := ARRAY(SELECT id FROM adoption);
    END IF;
    DELETE FROM adoption_status_span s USING unnest(p_adoptions) AS t(id) WHERE s.adoption_id = t.id;
    WITH inserted AS (
        INSERT INTO adoption_status_span (adoption_id, valid_from, valid_to, state, dated_until, first_dated,
                                          labels_dated)
        SELECT a.id, s.valid_from, s.valid_to, s.state, a.dated_until, a.first_dated, a.labels_dated
        FROM (SELECT ad.id, mo AS m, ev.evs, ev.dated_until, ev.first_dated, ev.labels_dated,
                     (SELECT array_agg(ed ORDER BY ed.published_on NULLS FIRST, ed.code) FROM edition ed
                       WHERE ed.model_code = ad.model_code) AS eds
              FROM (SELECT DISTINCT id FROM unnest(p_adoptions) AS t(id)) t
              JOIN adoption ad ON ad.id = t.id
              JOIN model mo ON mo.code = ad.model_code
              CROSS JOIN LATERAL (
                  SELECT array_agg(e ORDER BY e.date_to NULLS LAST, e.id) AS evs,
                         max(e.date_to) AS dated_until,
                         min(e.date_from) FILTER (WHERE e.date_to IS NOT NULL) AS first_dated,
                         count(*) FILTER (WHERE e.type = 'label_granted' AND e.date_to IS NOT NULL)::integer
                             AS labels_dated
                  FROM event e WHERE e.adoption_id = ad.id) ev) a
        CROSS JOIN LATERAL adoption_spans(a.m, a.evs, a.eds) s
        RETURNING adoption_id
    )
    SELECT count(DISTINCT adoption_id) INTO written FROM inserted;
    RETURN written;
END
$$;

-- The runs of some adoptions, from their spans (which must be current): neighbouring spans of one status merged.
CREATE OR REPLACE FUNCTION refresh_status_runs(p_adoptions bigint[]) RETURNS void
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

-- Recompute the spans of some adoptions (NULL: all of them) and then their runs; returns how many adoptions
-- got spans. What every trigger below calls.
CREATE OR REPLACE FUNCTION refresh_status_spans(p_adoptions bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    written integer;
BEGIN
    written := write_status_spans(p_adoptions);  -- NULL: every adoption
    PERFORM refresh_status_runs(coalesce(p_adoptions, ARRAY(SELECT id FROM adoption)));
    RETURN written;
END
$$;

-- Maintenance on write: any statement that changes events, adoptions, editions or models refreshes the spans of
-- the adoptions it touched (once per statement, however many rows).
CREATE OR REPLACE FUNCTION refresh_spans_after_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM refresh_status_spans(ARRAY(SELECT DISTINCT adoption_id FROM old_rows));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM refresh_status_spans(ARRAY(SELECT DISTINCT adoption_id FROM new_rows));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER event_spans_insert AFTER INSERT ON event REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_event_change();
CREATE OR REPLACE TRIGGER event_spans_update AFTER UPDATE ON event REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_event_change();
CREATE OR REPLACE TRIGGER event_spans_delete AFTER DELETE ON event REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_event_change();

CREATE OR REPLACE FUNCTION refresh_spans_after_adoption_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_status_spans(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER adoption_spans_insert AFTER INSERT ON adoption REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_adoption_insert();

-- editions and model rules change the thresholds of every adoption of the model
CREATE OR REPLACE FUNCTION refresh_spans_after_rules_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_status_spans(ARRAY(SELECT a.id FROM adoption a
                                        WHERE a.model_code IN (SELECT model_code FROM changed_editions)));
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER edition_spans_update AFTER UPDATE ON edition REFERENCING NEW TABLE AS changed_editions
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_rules_change();
CREATE OR REPLACE TRIGGER edition_spans_insert AFTER INSERT ON edition REFERENCING NEW TABLE AS changed_editions
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_rules_change();

CREATE OR REPLACE FUNCTION refresh_spans_after_model_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_status_spans(ARRAY(SELECT a.id FROM adoption a
                                        WHERE a.model_code IN (SELECT code FROM changed_models)));
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER model_spans_update AFTER UPDATE ON model REFERENCING NEW TABLE AS changed_models
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_model_change();

-- An adoption moved to another municipality or model: its runs carry both, and a model's rules make its
-- spans, so both are rewritten.
CREATE OR REPLACE FUNCTION refresh_spans_after_adoption_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_status_spans(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                                        WHERE n.municipality_id IS DISTINCT FROM o.municipality_id
                                           OR n.model_code IS DISTINCT FROM o.model_code));
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER adoption_spans_update AFTER UPDATE ON adoption REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_adoption_move();
