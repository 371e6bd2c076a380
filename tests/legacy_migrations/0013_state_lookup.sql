-- 0013 adoption_state(adoption, as_of) in PL/pgSQL. As a SQL function with a sub-select it could not be
-- inlined, so PostgreSQL parsed and planned its body again in every statement that called it (~1 ms, more
-- than the rest of a profile); PL/pgSQL keeps the plan of its lookup for the session. Same answer: the
-- span in force on as_of, or the derivation on the spot where an adoption has no spans.
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
