-- 0004 analytics helpers: which statuses count as holding a model, and when an adoption began.

-- 'Holding' a model on a date: a valid certificate, a valid label, or a self-assessment within its window.
-- Self-declared, suspended and in-implementation adoptions are not counted (see README, Statistics).
CREATE FUNCTION is_holding(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status IN ('certified', 'label_valid', 'self_assessed')
$$;

-- The earliest possible day of an adoption's first dated event on or before as_of (NULL if none).
CREATE FUNCTION adoption_first_date(p_adoption bigint, p_as_of date) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT min(e.date_from) FROM event e
    WHERE e.adoption_id = p_adoption AND e.date_from IS NOT NULL AND e.date_to <= p_as_of
$$;

CREATE INDEX event_type_date ON event (type, date_to);
CREATE INDEX award_year ON award (year, municipality_id);
