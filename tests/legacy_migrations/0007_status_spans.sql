-- 0007 performance at European scale: indexes, and derived status kept as spans of constant state.
--
-- The rules of 0002 are unchanged: adoption_state_from() is the same derivation working on arrays that are
-- loaded once, so it can be evaluated at many dates cheaply. adoption_status_span holds, per adoption, the
-- periods over which its state does not change; it is maintained by triggers on every write to events,
-- adoptions and editions, and adoption_state(adoption, as_of) now reads it. tests/test_spans.py checks,
-- day by day, that the spans give exactly what the derivation gives.

CREATE INDEX municipality_parent ON municipality (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX event_source ON event (source_id);
CREATE INDEX award_source ON award (source_id);
CREATE INDEX programme_member_source ON programme_member (source_id);
CREATE INDEX programme_member_municipality ON programme_member (municipality_id);

ALTER FUNCTION adoption_state(bigint, date) RENAME TO adoption_state_query;  -- kept for the equivalence test

CREATE FUNCTION adoption_state_from(m model, evs event[], eds edition[], p_as_of date) RETURNS adoption_state
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    r           adoption_state;
    e           event;
    found_e     event;
    ed          edition;
    undated     boolean := false;
    run_start   date;
    run_prec    text;
    run_valid   date;
    last_audit  date;
    broken      boolean := true;
    terminal    text;
    terminal_on date;
    edition_c   text;
    deadline    date;
    ends_on     date;
    max_gap     integer;
    label_end   date;
    act_end     date;
    first_act   date;
    first_prec  text;
    last_cert   date;
BEGIN
    r.overdue := false;
    r.edition_inferred := false;
    FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
        IF e.date_to IS NULL THEN undated := true; END IF;
    END LOOP;

    IF m.lifecycle = 'assessment' THEN
        -- evs are ordered by date_to, id: the last label on or before as_of wins
        FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
            IF e.type = 'label_granted' AND e.date_to <= p_as_of THEN
                label_end := coalesce(e.valid_until, add_months_last_day(e.date_to, coalesce(m.label_validity_months, 24)));
            END IF;
        END LOOP;
        FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
            CONTINUE WHEN e.date_to IS NULL OR e.date_to > p_as_of
                       OR e.type NOT IN ('self_assessment', 'improvement_plan', 'external_feedback', 'label_granted');
            IF act_end IS NULL OR e.date_from > act_end THEN
                first_act := e.date_from;
                first_prec := e.date_precision;
            END IF;
            act_end := add_months_last_day(e.date_to, coalesce(m.activity_window_months, 24));
            last_audit := e.date_to;
            edition_c := coalesce(e.edition_code, edition_c);
        END LOOP;
        r.edition_code := edition_c;
        r.last_audit := last_audit;
        IF label_end IS NOT NULL AND p_as_of <= label_end THEN
            r.status := 'label_valid'; r.since := first_act; r.since_precision := first_prec;
            r.valid_until := label_end; r.reason := 'label_within_validity';
        ELSIF act_end IS NOT NULL AND p_as_of <= act_end THEN
            r.status := 'self_assessed'; r.since := first_act; r.since_precision := first_prec;
            r.valid_until := act_end; r.reason := 'assessment_within_window';
        ELSIF act_end IS NOT NULL THEN
            r.status := 'inactive'; r.since := act_end + 1; r.since_precision := 'day';
            r.reason := 'no_assessment_within_window';
        ELSE
            found_e := NULL;
            FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
                IF e.date_to <= p_as_of AND e.type IN ('decision', 'implementation_start', 'declaration') THEN
                    found_e := e; EXIT;
                END IF;
            END LOOP;
            IF found_e.id IS NOT NULL THEN
                act_end := add_months_last_day(found_e.date_to, coalesce(m.activity_window_months, 24));
                IF p_as_of <= act_end THEN
                    r.status := 'in_implementation'; r.since := found_e.date_from;
                    r.since_precision := found_e.date_precision; r.valid_until := act_end;
                    r.reason := 'started_no_assessment_yet';
                ELSE
                    r.status := 'inactive'; r.since := act_end + 1; r.since_precision := 'day';
                    r.reason := 'started_but_no_assessment_within_window';
                END IF;
            ELSIF undated THEN
                r.status := 'undetermined'; r.reason := 'only_undated_evidence';
            ELSE
                r.status := 'not_yet_adopted'; r.reason := 'no_event_on_or_before_as_of';
            END IF;
        END IF;
        IF r.status IN ('self_assessed', 'label_valid') THEN
            r.next_due := act_end + 1;
        END IF;
        IF r.status = 'inactive' AND undated THEN
            r.status := 'undetermined'; r.reason := 'undated_evidence_may_be_later';
            r.since := NULL; r.since_precision := NULL;
        END IF;
        RETURN r;
    END IF;

    max_gap := coalesce(m.surveillance_interval_months, 12) + coalesce(m.surveillance_grace_months, 6);
    FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
        CONTINUE WHEN e.date_to IS NULL OR e.date_to > p_as_of
                   OR e.type NOT IN ('certification', 'recertification', 'surveillance', 'edition_transition',
                                     'suspension', 'withdrawal', 'expiry');
        IF e.type IN ('certification', 'recertification') THEN
            last_cert := e.date_to;
            IF broken OR e.date_from > run_valid OR e.date_from > add_months_last_day(last_audit, max_gap) THEN
                run_start := e.date_from; run_prec := e.date_precision;
                edition_c := NULL;
                run_valid := add_months_last_day(e.date_to, coalesce(m.cycle_months, 36));
            ELSE
                run_valid := add_months_last_day(run_valid + 1, coalesce(m.cycle_months, 36));
            END IF;
            broken := false; terminal := NULL;
            run_valid := coalesce(e.valid_until, run_valid);
            last_audit := e.date_to;
            edition_c := coalesce(e.edition_code, edition_c);
        ELSIF broken THEN
            CONTINUE;
        ELSIF e.type IN ('surveillance', 'edition_transition') THEN
            last_audit := e.date_to;
            edition_c := coalesce(e.edition_code, edition_c);
            IF e.valid_until IS NOT NULL THEN
                run_valid := e.valid_until;
            END IF;
            IF terminal = 'suspended' THEN
                terminal := NULL;
            END IF;
        ELSIF e.type = 'suspension' THEN
            terminal := 'suspended'; terminal_on := e.date_from;
        ELSE
            terminal := CASE e.type WHEN 'withdrawal' THEN 'withdrawn' ELSE 'expired' END;
            terminal_on := e.date_from; broken := true;
        END IF;
    END LOOP;

    IF run_start IS NULL THEN
        found_e := NULL;
        FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
            IF e.date_to <= p_as_of AND e.type = 'declaration' THEN found_e := e; EXIT; END IF;
        END LOOP;
        IF found_e.id IS NOT NULL THEN
            r.status := 'self_declared'; r.since := found_e.date_from; r.since_precision := found_e.date_precision;
            r.edition_code := found_e.edition_code; r.reason := 'declared_without_certificate';
            RETURN r;
        END IF;
        FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
            IF e.date_to <= p_as_of AND e.type IN ('decision', 'implementation_start', 'stage1_audit', 'stage2_audit') THEN
                found_e := e; EXIT;
            END IF;
        END LOOP;
        IF found_e.id IS NOT NULL THEN
            r.status := 'in_implementation'; r.since := found_e.date_from; r.since_precision := found_e.date_precision;
            r.reason := 'no_certificate_yet';
        ELSIF undated THEN
            r.status := 'undetermined'; r.reason := 'only_undated_evidence';
        ELSE
            r.status := 'not_yet_adopted'; r.reason := 'no_event_on_or_before_as_of';
        END IF;
        RETURN r;
    END IF;

    IF edition_c IS NULL THEN
        -- eds are ordered by published_on: the newest published, certifiable one at the last renewal
        FOREACH ed IN ARRAY coalesce(eds, '{}') LOOP
            IF ed.status <> 'draft' AND ed.published_on <= run_valid AND ed.published_on <= last_cert THEN
                edition_c := ed.code;
            END IF;
        END LOOP;
        r.edition_inferred := edition_c IS NOT NULL;
    END IF;
    r.edition_code := edition_c;
    r.last_audit := last_audit;

    IF terminal IN ('withdrawn', 'expired') THEN
        r.status := terminal; r.since := terminal_on; r.since_precision := 'day';
        r.reason := CASE terminal WHEN 'withdrawn' THEN 'withdrawal_recorded' ELSE 'expiry_recorded' END;
    ELSE
        FOREACH ed IN ARRAY coalesce(eds, '{}') LOOP
            IF ed.code = edition_c THEN deadline := ed.certificates_valid_until; END IF;
        END LOOP;
        ends_on := least(run_valid, deadline);
        IF p_as_of > ends_on THEN
            r.status := 'expired'; r.since := ends_on + 1; r.since_precision := 'day';
            r.reason := CASE WHEN deadline IS NOT NULL AND deadline < run_valid
                             THEN 'edition_transition_deadline_passed' ELSE 'validity_ended' END;
        ELSIF p_as_of > add_months_last_day(last_audit, max_gap) THEN
            r.status := 'certification_lapsed'; r.since := add_months_last_day(last_audit, max_gap) + 1;
            r.since_precision := 'day'; r.reason := 'surveillance_missed';
        ELSIF terminal = 'suspended' THEN
            r.status := 'suspended'; r.since := terminal_on; r.since_precision := 'day';
            r.valid_until := ends_on; r.reason := 'suspension_recorded';
        ELSE
            r.status := 'certified'; r.since := run_start; r.since_precision := run_prec;
            r.valid_until := ends_on; r.reason := 'certificate_valid';
            r.next_due := least(add_months_last_day(last_audit, coalesce(m.surveillance_interval_months, 12)) + 1,
                                ends_on);
            r.overdue := p_as_of > r.next_due;
        END IF;
    END IF;
    IF r.status IN ('expired', 'certification_lapsed') AND undated THEN
        r.status := 'undetermined'; r.reason := 'undated_evidence_may_be_later';
        r.since := NULL; r.since_precision := NULL;
    END IF;
    RETURN r;
END
$$;

-- The derivation on live data: load the adoption's model, events and editions once.
CREATE FUNCTION adoption_state_live(p_adoption bigint, p_as_of date) RETURNS adoption_state
LANGUAGE sql STABLE AS $$
    SELECT adoption_state_from(
        mo,
        (SELECT array_agg(ev ORDER BY ev.date_to NULLS LAST, ev.id) FROM event ev WHERE ev.adoption_id = a.id),
        (SELECT array_agg(ed ORDER BY ed.published_on NULLS FIRST, ed.code) FROM edition ed
          WHERE ed.model_code = a.model_code),
        p_as_of)
    FROM adoption a JOIN model mo ON mo.code = a.model_code
    WHERE a.id = p_adoption
$$;

-- Periods of constant state. [valid) covers every day from -infinity to infinity for each adoption.
CREATE TABLE adoption_status_span (
    adoption_id     bigint NOT NULL REFERENCES adoption ON DELETE CASCADE,
    valid_from      date NOT NULL,     -- '-infinity' for the first span
    valid_to        date NOT NULL,     -- exclusive; 'infinity' for the last span
    state           adoption_state NOT NULL,
    PRIMARY KEY (adoption_id, valid_from)
);

-- Every day on which an adoption's state can change: when events surely happened, and every threshold the
-- rules compare as_of with (validity ends, renewal chains, surveillance and grace periods, label and
-- activity windows, next-audit dates, edition deadlines).
CREATE FUNCTION adoption_breakpoints(m model, evs event[], eds edition[]) RETURNS date[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    e       event;
    ed      edition;
    out     date[] := '{}';
    n       integer;
    v       date;
    k       integer;
    cycles  integer := 0;
BEGIN
    FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
        IF e.type IN ('certification', 'recertification') THEN cycles := cycles + 1; END IF;
    END LOOP;
    FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
        CONTINUE WHEN e.date_to IS NULL;
        out := out || e.date_to || e.date_from;
        FOREACH n IN ARRAY ARRAY[coalesce(m.cycle_months, 36), coalesce(m.surveillance_interval_months, 12),
                                 coalesce(m.surveillance_interval_months, 12) + coalesce(m.surveillance_grace_months, 6),
                                 coalesce(m.label_validity_months, 24), coalesce(m.activity_window_months, 24)] LOOP
            out := out || (add_months_last_day(e.date_to, n) + 1) || (add_months_last_day(e.date_to, n) + 2);
        END LOOP;
        IF e.valid_until IS NOT NULL THEN
            out := out || (e.valid_until + 1) || (e.valid_until + 2);
        END IF;
        IF e.type IN ('certification', 'recertification') THEN
            v := add_months_last_day(e.date_to, coalesce(m.cycle_months, 36));
            FOR k IN 1 .. cycles + 1 LOOP   -- renewal chains: each expiry follows the previous by a cycle
                out := out || (v + 1) || (v + 2);
                v := add_months_last_day(v + 1, coalesce(m.cycle_months, 36));
            END LOOP;
            IF e.valid_until IS NOT NULL THEN
                v := e.valid_until;
                FOR k IN 1 .. cycles + 1 LOOP
                    v := add_months_last_day(v + 1, coalesce(m.cycle_months, 36));
                    out := out || (v + 1) || (v + 2);
                END LOOP;
            END IF;
        END IF;
    END LOOP;
    FOREACH ed IN ARRAY coalesce(eds, '{}') LOOP
        IF ed.certificates_valid_until IS NOT NULL THEN
            out := out || (ed.certificates_valid_until + 1);
        END IF;
    END LOOP;
    RETURN ARRAY(SELECT DISTINCT d FROM unnest(out) AS d WHERE d IS NOT NULL ORDER BY d);
END
$$;

-- Recompute the spans of some adoptions (all of them with NULL).
CREATE FUNCTION refresh_status_spans(p_adoptions bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    a       record;
    d       date;
    prev    date;
    st      adoption_state;
    last_st adoption_state;
    written integer := 0;
BEGIN
    DELETE FROM adoption_status_span WHERE p_adoptions IS NULL OR adoption_id = ANY (p_adoptions);
    FOR a IN
        SELECT ad.id, mo AS m,
               (SELECT array_agg(ev ORDER BY ev.date_to NULLS LAST, ev.id) FROM event ev WHERE ev.adoption_id = ad.id) AS evs,
               (SELECT array_agg(ed ORDER BY ed.published_on NULLS FIRST, ed.code) FROM edition ed
                 WHERE ed.model_code = ad.model_code) AS eds
        FROM adoption ad JOIN model mo ON mo.code = ad.model_code
        WHERE p_adoptions IS NULL OR ad.id = ANY (p_adoptions)
    LOOP
        prev := '-infinity';
        last_st := adoption_state_from(a.m, a.evs, a.eds, '0001-01-01'::date);
        FOREACH d IN ARRAY adoption_breakpoints(a.m, a.evs, a.eds) LOOP
            st := adoption_state_from(a.m, a.evs, a.eds, d);
            IF st IS DISTINCT FROM last_st THEN
                INSERT INTO adoption_status_span VALUES (a.id, prev, d, last_st);
                prev := d;
                last_st := st;
            END IF;
        END LOOP;
        INSERT INTO adoption_status_span VALUES (a.id, prev, 'infinity', last_st);
        written := written + 1;
    END LOOP;
    RETURN written;
END
$$;

-- adoption_state now reads the spans (one index lookup); without spans it derives on the spot.
CREATE FUNCTION adoption_state(p_adoption bigint, p_as_of date) RETURNS adoption_state
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT s.state FROM adoption_status_span s
          WHERE s.adoption_id = p_adoption AND s.valid_from <= p_as_of AND p_as_of < s.valid_to
          ORDER BY s.valid_from DESC LIMIT 1),
        adoption_state_live(p_adoption, p_as_of))
$$;

-- Maintenance on write: any statement that changes events, adoptions or editions refreshes the spans of
-- the adoptions it touched (once per statement, however many rows).
CREATE FUNCTION refresh_spans_after_event_change() RETURNS trigger
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

CREATE TRIGGER event_spans_insert AFTER INSERT ON event REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_event_change();
CREATE TRIGGER event_spans_update AFTER UPDATE ON event REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_event_change();
CREATE TRIGGER event_spans_delete AFTER DELETE ON event REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_event_change();

CREATE FUNCTION refresh_spans_after_adoption_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_status_spans(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END
$$;
CREATE TRIGGER adoption_spans_insert AFTER INSERT ON adoption REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_adoption_insert();

-- editions and model rules change the thresholds of every adoption of the model
CREATE FUNCTION refresh_spans_after_rules_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_status_spans(ARRAY(SELECT a.id FROM adoption a
                                        WHERE a.model_code IN (SELECT model_code FROM changed_editions)));
    RETURN NULL;
END
$$;
CREATE TRIGGER edition_spans_update AFTER UPDATE ON edition REFERENCING NEW TABLE AS changed_editions
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_rules_change();
CREATE TRIGGER edition_spans_insert AFTER INSERT ON edition REFERENCING NEW TABLE AS changed_editions
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_rules_change();

CREATE FUNCTION refresh_spans_after_model_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_status_spans(ARRAY(SELECT a.id FROM adoption a
                                        WHERE a.model_code IN (SELECT code FROM changed_models)));
    RETURN NULL;
END
$$;
CREATE TRIGGER model_spans_update AFTER UPDATE ON model REFERENCING NEW TABLE AS changed_models
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_spans_after_model_change();

SELECT refresh_status_spans(NULL);
