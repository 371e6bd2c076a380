-- Status: derived in Python from the evidence (registry/status/rules.py, docs/status-rules.md) and kept in
-- adoption_status_span by registry/status/store.py on every write that can change it.

-- 'Holding' a model on a day: a certificate in force, a valid label, or a self-assessment within its window (as
-- registry/status/rules.py HELD). Self-declared, suspended and in-implementation adoptions are not counted.
CREATE OR REPLACE FUNCTION is_holding(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status IN ('certified', 'label_valid', 'self_assessed')
$$;
