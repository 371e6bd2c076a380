-- 0002 derived status: an adoption's state on any date follows from its events and its model's rules.
-- The rules are written out in README.md ("Status rules"); tests/test_status.py holds the edge cases.
-- An event only counts once it has surely happened: an imprecise date ('2003', '2016-03', a range)
-- takes effect on the last day it can mean (date_to). Events without a date never count, but while
-- they exist an 'expired' or 'inactive' result becomes 'undetermined': the undated evidence may be later.

CREATE TYPE adoption_state AS (
    status          text,
    since           date,     -- start of the current continuous period in this status (earliest possible day)
    since_precision text,
    valid_until     date,     -- last day the current status lasts without a further event
    edition_code    text,     -- edition in force on as_of
    edition_inferred boolean, -- true when no event named the edition and it was taken from the publication dates
    last_audit      date,     -- last audit or assessment that counted
    next_due        date,     -- next surveillance / recertification / self-assessment due
    overdue         boolean,
    reason          text      -- a stable code saying why the status is what it is
);

CREATE FUNCTION add_months_last_day(d date, months integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (d + make_interval(months => months))::date - 1
$$;

CREATE FUNCTION adoption_state(p_adoption bigint, p_as_of date) RETURNS adoption_state
LANGUAGE plpgsql STABLE AS $$
DECLARE
    m           model;
    r           adoption_state;
    e           record;
    undated     boolean;
    run_start   date;
    run_prec    text;
    run_valid   date;
    last_audit  date;
    broken      boolean := true;
    terminal    text;
    terminal_on date;
    edition     text;
    deadline    date;
    ends_on     date;
    max_gap     integer;
    label_end   date;
    act_end     date;
    first_act   date;
    first_prec  text;
BEGIN
    SELECT mo.* INTO m FROM adoption a JOIN model mo ON mo.code = a.model_code WHERE a.id = p_adoption;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    undated := EXISTS (SELECT 1 FROM event WHERE adoption_id = p_adoption AND date_to IS NULL);
    r.overdue := false;
    r.edition_inferred := false;

    IF m.lifecycle = 'assessment' THEN
        -- labels first: a valid label outranks a recent self-assessment
        SELECT ev.* INTO e FROM event ev
         WHERE ev.adoption_id = p_adoption AND ev.type = 'label_granted' AND ev.date_to <= p_as_of
         ORDER BY ev.date_to DESC, ev.id DESC LIMIT 1;
        IF FOUND THEN
            label_end := coalesce(e.valid_until, add_months_last_day(e.date_to, coalesce(m.label_validity_months, 24)));
        END IF;
        -- the run of assessment activity with no gap longer than the activity window
        FOR e IN SELECT ev.* FROM event ev
                  WHERE ev.adoption_id = p_adoption AND ev.date_to <= p_as_of
                    AND ev.type IN ('self_assessment', 'improvement_plan', 'external_feedback', 'label_granted')
                  ORDER BY ev.date_to, ev.id LOOP
            IF act_end IS NULL OR e.date_from > act_end THEN  -- could not have been within the window
                first_act := e.date_from;
                first_prec := e.date_precision;
            END IF;
            act_end := add_months_last_day(e.date_to, coalesce(m.activity_window_months, 24));
            last_audit := e.date_to;
            edition := coalesce(e.edition_code, edition);
        END LOOP;
        r.edition_code := edition;
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
            SELECT ev.* INTO e FROM event ev
             WHERE ev.adoption_id = p_adoption AND ev.date_to <= p_as_of
               AND ev.type IN ('decision', 'implementation_start', 'declaration')
             ORDER BY ev.date_to LIMIT 1;
            IF FOUND THEN
                act_end := add_months_last_day(e.date_to, coalesce(m.activity_window_months, 24));
                IF p_as_of <= act_end THEN
                    r.status := 'in_implementation'; r.since := e.date_from; r.since_precision := e.date_precision;
                    r.valid_until := act_end; r.reason := 'started_no_assessment_yet';
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
    FOR e IN SELECT ev.* FROM event ev
              WHERE ev.adoption_id = p_adoption AND ev.date_to <= p_as_of
                AND ev.type IN ('certification', 'recertification', 'surveillance', 'edition_transition',
                                'suspension', 'withdrawal', 'expiry')
              ORDER BY ev.date_to, ev.id LOOP
        IF e.type IN ('certification', 'recertification') THEN
            -- a renewal continues the run only if the old certificate was still valid and watched
            IF broken OR e.date_from > run_valid OR e.date_from > add_months_last_day(last_audit, max_gap) THEN
                run_start := e.date_from; run_prec := e.date_precision;
                edition := NULL;
                run_valid := add_months_last_day(e.date_to, coalesce(m.cycle_months, 36));
            ELSE
                -- renewed before expiry: the new cycle is based on the old expiry (ISO/IEC 17021-1)
                run_valid := add_months_last_day(run_valid + 1, coalesce(m.cycle_months, 36));
            END IF;
            broken := false; terminal := NULL;
            run_valid := coalesce(e.valid_until, run_valid);
            last_audit := e.date_to;
            edition := coalesce(e.edition_code, edition);
        ELSIF broken THEN
            CONTINUE;  -- audits or terminations of a certificate that is no longer in force
        ELSIF e.type IN ('surveillance', 'edition_transition') THEN
            last_audit := e.date_to;
            edition := coalesce(e.edition_code, edition);
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
        SELECT ev.* INTO e FROM event ev
         WHERE ev.adoption_id = p_adoption AND ev.date_to <= p_as_of AND ev.type = 'declaration'
         ORDER BY ev.date_to LIMIT 1;
        IF FOUND THEN
            r.status := 'self_declared'; r.since := e.date_from; r.since_precision := e.date_precision;
            r.edition_code := e.edition_code; r.reason := 'declared_without_certificate';
        ELSE
            SELECT ev.* INTO e FROM event ev
             WHERE ev.adoption_id = p_adoption AND ev.date_to <= p_as_of
               AND ev.type IN ('decision', 'implementation_start', 'stage1_audit', 'stage2_audit')
             ORDER BY ev.date_to LIMIT 1;
            IF FOUND THEN
                r.status := 'in_implementation'; r.since := e.date_from; r.since_precision := e.date_precision;
                r.reason := 'no_certificate_yet';
            ELSIF undated THEN
                r.status := 'undetermined'; r.reason := 'only_undated_evidence';
            ELSE
                r.status := 'not_yet_adopted'; r.reason := 'no_event_on_or_before_as_of';
            END IF;
        END IF;
        RETURN r;
    END IF;

    IF edition IS NULL THEN
        -- no event named the edition: take the newest published, certifiable one at the last renewal
        SELECT ed.code INTO edition FROM edition ed
         WHERE ed.model_code = m.code AND ed.status <> 'draft' AND ed.published_on <= run_valid
           AND ed.published_on <= (SELECT max(ev.date_to) FROM event ev
                                    WHERE ev.adoption_id = p_adoption AND ev.date_to <= p_as_of
                                      AND ev.type IN ('certification', 'recertification'))
         ORDER BY ed.published_on DESC LIMIT 1;
        r.edition_inferred := edition IS NOT NULL;
    END IF;
    r.edition_code := edition;
    r.last_audit := last_audit;

    IF terminal IN ('withdrawn', 'expired') THEN
        r.status := terminal; r.since := terminal_on; r.since_precision := 'day';
        r.reason := CASE terminal WHEN 'withdrawn' THEN 'withdrawal_recorded' ELSE 'expiry_recorded' END;
    ELSE
        SELECT ed.certificates_valid_until INTO deadline FROM edition ed
         WHERE ed.model_code = m.code AND ed.code = edition;
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

-- a stored (from, to, precision) written back as the partial date the source gave: '2003', '2016-03', 'a/b'
CREATE FUNCTION partial_date(d_from date, d_to date, prec text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN d_from IS NULL OR prec = 'unknown' THEN NULL
        WHEN prec = 'year' THEN to_char(d_from, 'YYYY')
        WHEN prec = 'month' THEN to_char(d_from, 'YYYY-MM')
        WHEN prec = 'range' AND d_to IS DISTINCT FROM d_from THEN to_char(d_from, 'YYYY-MM-DD') || '/' || to_char(d_to, 'YYYY-MM-DD')
        ELSE to_char(d_from, 'YYYY-MM-DD')
    END
$$;
