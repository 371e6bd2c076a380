-- 0029 Open-world status, derived in Python (registry/status/), and answers labelled in Python.
--
-- Status spans were derived by PL/pgSQL under triggers; the rules now say how well the evidence supports each
-- status (evidenced, inferred, unknown), keep derived dates at the precision of the evidence, and read what a
-- source says about its dates. registry/status/store.py writes the spans on every write that can change them,
-- once for everyone when an adoption has no non-public event, else once as anonymous readers see it (public
-- events only) and once as key holders do. The SQL writers of labelled answers (display fragments, the profile
-- and list writers) are gone: answers are labelled once, in Python.

DROP TRIGGER IF EXISTS event_spans_insert ON event;
DROP TRIGGER IF EXISTS event_spans_update ON event;
DROP TRIGGER IF EXISTS event_spans_delete ON event;
DROP TRIGGER IF EXISTS adoption_spans_insert ON adoption;
DROP TRIGGER IF EXISTS adoption_spans_update ON adoption;
DROP TRIGGER IF EXISTS edition_spans_update ON edition;
DROP TRIGGER IF EXISTS edition_spans_insert ON edition;
DROP TRIGGER IF EXISTS model_spans_update ON model;

DROP FUNCTION IF EXISTS refresh_spans_after_event_change(), refresh_spans_after_adoption_insert(),
    refresh_spans_after_rules_change(), refresh_spans_after_model_change(), refresh_spans_after_adoption_move(),
    refresh_status_spans(bigint[]), write_status_spans(bigint[]), refresh_status_runs(bigint[]),
    adoption_spans(model, event[], edition[]), adoption_breakpoints(model, event[], edition[]),
    adoption_state_from(model, event[], edition[], date), adoption_state_live(bigint, date),
    adoption_state(bigint, date), adoption_state_on(bigint, date), adoption_first_date(bigint, date),
    add_months_last_day(date, integer);
-- the data version is bumped by the writes that change spans; the table is made again below

DROP FUNCTION IF EXISTS municipality_items_json(municipality[], date, text, text),
    municipality_profile_json(text, date, boolean, text, text), display_number(numeric, jsonb),
    display_day(date, text, text[], boolean), display_partial(date, date, text, text, text, text[], text, text[], boolean),
    place_name(text, text, text, text), sr_cyrillic_to_latin(text), sr_latin_to_cyrillic(text);

DROP TABLE adoption_status_run;
DROP TABLE adoption_status_span;
DROP TABLE display_language;
DROP TYPE adoption_state;
DROP TYPE compare_model, compare_label, compare_award, compare_programme CASCADE;

-- Periods of constant state, [valid_from, valid_to) covering every day. audience: 'a' for everyone (the adoption
-- has no non-public event), else 'p' as anonymous readers see it and 'k' as key holders do; a reader skips the
-- audience that is not theirs. Derived dates are written at the precision of the evidence they come from.
CREATE TABLE adoption_status_span (
    adoption_id     bigint NOT NULL REFERENCES adoption ON DELETE CASCADE,
    audience        text NOT NULL CHECK (audience IN ('a', 'p', 'k')),
    valid_from      date NOT NULL,     -- '-infinity' for the first span
    valid_to        date NOT NULL,     -- exclusive; 'infinity' for the last span
    municipality_id text NOT NULL,     -- the adoption's, copied for the indexes
    model_code      text NOT NULL,
    status          text NOT NULL,
    basis           text NOT NULL CHECK (basis IN ('evidenced', 'inferred', 'unknown')),
    reason          text NOT NULL,
    since           text,
    valid_until     text,
    edition         text,
    edition_inferred boolean NOT NULL,
    last_audit      text,
    next_due        text,
    overdue         boolean NOT NULL,
    last_evidence   bigint,
    last_evidence_date text,
    last_evidence_type text,
    last_evidenced_status text,
    certificate_ended text,
    first_dated     text,              -- the adoption's earliest dated evidence on or before the span
    since_day       date,              -- the earliest possible day of `since`
    valid_until_day date,              -- the last day the period lasts, as comparisons take it
    PRIMARY KEY (adoption_id, audience, valid_from)
);
-- a unit's statuses on a day (profiles, list pages, comparisons): its spans from the index
CREATE INDEX adoption_status_span_unit ON adoption_status_span (municipality_id, model_code, adoption_id)
    INCLUDE (audience, valid_from, valid_to, status, basis);

-- The maximal runs of days with one status and basis, for a list filtered on a status: an index-only range read
-- in the list's order instead of a probe of every unit.
CREATE TABLE adoption_status_run (
    adoption_id     bigint NOT NULL REFERENCES adoption ON DELETE CASCADE,
    audience        text NOT NULL,
    valid_from      date NOT NULL,
    valid_to        date NOT NULL,
    status          text NOT NULL,
    basis           text NOT NULL,
    municipality_id text NOT NULL,
    model_code      text NOT NULL,
    PRIMARY KEY (adoption_id, audience, valid_from)
);
CREATE INDEX adoption_status_run_list ON adoption_status_run
    (status, (municipality_id COLLATE "C"), model_code) INCLUDE (basis, audience, valid_from, valid_to);

