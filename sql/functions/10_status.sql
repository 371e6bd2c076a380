-- Status: an adoption's state on a day follows from its events and its model's rules (README, "Status rules";
-- tests/test_status.py holds the edge cases). An event counts once it has surely happened: an imprecise date
-- ('2003', '2016-03', a range) takes effect on the last day it can mean (date_to). Events without a date never
-- count, but while they exist an 'expired', 'certification_lapsed' or 'inactive' result becomes 'undetermined':
-- the undated evidence may be later.
--
-- adoption_state_from() is the derivation, on arrays loaded once so that it can be evaluated at many dates
-- cheaply: evs ordered by date_to (undated last), id; eds by published_on. Answers are read from the status spans
-- it writes (20_status_spans.sql); tests/test_spans.py checks the spans, day by day, against a query-per-call
-- derivation kept in tests/sql/oracles.sql.
CREATE OR REPLACE FUNCTION adoption_state_from(m model, evs event[], eds edition[], p_as_of date) RETURNS adoption_state
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
        -- labels first: a valid label outranks a recent self-assessment; the last one on or before as_of wins
        FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
            IF e.type = 'label_granted' AND e.date_to <= p_as_of THEN
                label_end := coalesce(e.valid_until, add_months_last_day(e.date_to, coalesce(m.label_validity_months, 24)));
            END IF;
        END LOOP;
        -- the run of assessment activity with no gap longer than the activity window
        FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
            CONTINUE WHEN e.date_to IS NULL OR e.date_to > p_as_of
                       OR e.type NOT IN ('self_assessment', 'improvement_plan', 'external_feedback', 'label_granted');
            IF act_end IS NULL OR e.date_from > act_end THEN  -- could not have been within the window
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

    -- certification lifecycle (ISO/IEC 17021-1 style: 3-year cycle, yearly surveillance)
    max_gap := coalesce(m.surveillance_interval_months, 12) + coalesce(m.surveillance_grace_months, 6);
    FOREACH e IN ARRAY coalesce(evs, '{}') LOOP
        CONTINUE WHEN e.date_to IS NULL OR e.date_to > p_as_of
                   OR e.type NOT IN ('certification', 'recertification', 'surveillance', 'edition_transition',
                                     'suspension', 'withdrawal', 'expiry');
        IF e.type IN ('certification', 'recertification') THEN
            last_cert := e.date_to;
            -- a renewal continues the run only if the old certificate was still valid and watched
            IF broken OR e.date_from > run_valid OR e.date_from > add_months_last_day(last_audit, max_gap) THEN
                run_start := e.date_from; run_prec := e.date_precision;
                edition_c := NULL;
                run_valid := add_months_last_day(e.date_to, coalesce(m.cycle_months, 36));
            ELSE
                -- renewed before expiry: the new cycle is based on the old expiry (ISO/IEC 17021-1)
                run_valid := add_months_last_day(run_valid + 1, coalesce(m.cycle_months, 36));
            END IF;
            broken := false; terminal := NULL;
            run_valid := coalesce(e.valid_until, run_valid);
            last_audit := e.date_to;
            edition_c := coalesce(e.edition_code, edition_c);
        ELSIF broken THEN
            CONTINUE;  -- audits or terminations of a certificate that is no longer in force
        ELSIF e.type IN ('surveillance', 'edition_transition') THEN
            last_audit := e.date_to;
            edition_c := coalesce(e.edition_code, edition_c);
            IF e.valid_until IS NOT NULL THEN
                run_valid := e.valid_until;
            END IF;
            IF terminal = 'suspended' THEN
                terminal := NULL;  -- a passed audit after a suspension reinstates the certificate
            END IF;
        ELSIF e.type = 'suspension' THEN
            terminal := 'suspended'; terminal_on := e.date_from;
        ELSE  -- withdrawal, expiry
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
        -- no event named the edition: the newest published, certifiable one at the last renewal
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

-- The derivation on live data, the adoption's model, events and editions loaded once: what adoption_state(),
-- adoption_state_on() and the comparison give for an adoption that has no spans.
CREATE OR REPLACE FUNCTION adoption_state_live(p_adoption bigint, p_as_of date) RETURNS adoption_state
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

-- The state of an adoption on a day: the span in force, or the derivation on the spot where the adoption has no
-- spans. PL/pgSQL, which keeps the plan of its lookup for the session; a SQL function with a sub-select is not
-- inlined and was planned anew in every statement (~1 ms). For one value; the read queries use adoption_state_on().
CREATE OR REPLACE FUNCTION adoption_state(p_adoption bigint, p_as_of date) RETURNS adoption_state
LANGUAGE plpgsql STABLE AS $$
DECLARE
    found_state adoption_state;
BEGIN
    SELECT (s.state).* INTO found_state FROM adoption_status_span s
     WHERE s.adoption_id = p_adoption AND s.valid_from <= p_as_of AND p_as_of < s.valid_to
     ORDER BY s.valid_from DESC LIMIT 1;
    IF FOUND THEN
        RETURN found_state;
    END IF;
    RETURN adoption_state_live(p_adoption, p_as_of);
END
$$;

-- The same answer as adoption_state(), as a set-returning SQL function used in FROM
-- (`CROSS JOIN LATERAL adoption_state_on(a.id, d) st`), which the planner inlines: one index probe, its fields
-- read once. A composite-returning call read field by field from a flattened sub-select is copied into each field.
CREATE OR REPLACE FUNCTION adoption_state_on(p_adoption bigint, p_as_of date) RETURNS SETOF adoption_state
LANGUAGE sql STABLE AS $$
    SELECT (coalesce(sp.state, live.state)).*
    FROM (SELECT) one
    LEFT JOIN LATERAL (SELECT s.state FROM adoption_status_span s
                        WHERE s.adoption_id = p_adoption AND s.valid_from <= p_as_of AND p_as_of < s.valid_to
                        ORDER BY s.valid_from DESC LIMIT 1) sp ON true
    -- derived only when no span exists (OFFSET 0 keeps it from being copied into each field)
    LEFT JOIN LATERAL (SELECT adoption_state_live(p_adoption, p_as_of) AS state
                        WHERE sp.state IS NULL OFFSET 0) live ON true
$$;

-- 'Holding' a model on a date: a valid certificate, a valid label, or a self-assessment within its window.
-- Self-declared, suspended and in-implementation adoptions are not counted (see README, Statistics).
CREATE OR REPLACE FUNCTION is_holding(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status IN ('certified', 'label_valid', 'self_assessed')
$$;

-- The earliest possible day of an adoption's first dated event on or before as_of (NULL if none).
CREATE OR REPLACE FUNCTION adoption_first_date(p_adoption bigint, p_as_of date) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT min(e.date_from) FROM event e
    WHERE e.adoption_id = p_adoption AND e.date_from IS NOT NULL AND e.date_to <= p_as_of
$$;
