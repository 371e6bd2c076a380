-- 0009 faster status spans: the same rules (adoption_state_from is untouched), fewer evaluations, one statement.
--
-- * adoption_breakpoints lists only the days each lifecycle's rules can change on: certifiable models do not
--   look at label or activity windows, assessed models do not look at cycles, surveillance or deadlines;
--   and a threshold X compared as `as_of > X` can only change the state on X + 1 (the next-audit date,
--   compared once more for `overdue`, also on X + 2).
-- * refresh_status_spans writes the spans of all the adoptions it is given in one INSERT … SELECT over
--   adoption_spans(), instead of a loop with an INSERT per span (each of which also fired the statement
--   triggers once). A refresh of one adoption joins it by primary key; a refresh of all of them
--   (NULL) hashes.
-- Existing spans stay as they are: the rules did not change. tests/test_spans.py compares the spans with the
-- query-based derivation of 0002 on every day 2000–2028.

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
CREATE FUNCTION adoption_spans(m model, evs event[], eds edition[])
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

CREATE OR REPLACE FUNCTION refresh_status_spans(p_adoptions bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    written integer;
BEGIN
    IF p_adoptions IS NULL THEN
        p_adoptions := ARRAY(SELECT id FROM adoption);
    END IF;
    DELETE FROM adoption_status_span s USING unnest(p_adoptions) AS t(id) WHERE s.adoption_id = t.id;
    WITH inserted AS (
        INSERT INTO adoption_status_span (adoption_id, valid_from, valid_to, state)
        SELECT a.id, s.valid_from, s.valid_to, s.state
        FROM (SELECT ad.id, mo AS m,
                     (SELECT array_agg(ev ORDER BY ev.date_to NULLS LAST, ev.id) FROM event ev
                       WHERE ev.adoption_id = ad.id) AS evs,
                     (SELECT array_agg(ed ORDER BY ed.published_on NULLS FIRST, ed.code) FROM edition ed
                       WHERE ed.model_code = ad.model_code) AS eds
              FROM (SELECT DISTINCT id FROM unnest(p_adoptions) AS t(id)) t
              JOIN adoption ad ON ad.id = t.id
              JOIN model mo ON mo.code = ad.model_code) a
        CROSS JOIN LATERAL adoption_spans(a.m, a.evs, a.eds) s
        RETURNING adoption_id
    )
    SELECT count(DISTINCT adoption_id) INTO written FROM inserted;
    RETURN written;
END
$$;
