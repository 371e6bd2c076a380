-- 0016 Two functions the planner can inline, for the read paths (profile, list, compare, programmes).
--
-- partial_date() was declared IMMUTABLE while its body calls to_char(), which PostgreSQL marks STABLE; a SQL
-- function is only inlined when its body is no more volatile than it says, so every call went through the
-- SQL-function executor (~5 us instead of ~0.7 us; a profile makes one call per event). Now STABLE; the body
-- is unchanged.
ALTER FUNCTION partial_date(date, date, text) STABLE;

-- adoption_state(a, d) returns a composite; a query that reads several of its fields from a sub-select
-- (`(st).status, (st).since, …`) gets the call copied into each field when the planner flattens the
-- sub-select, so the PL/pgSQL lookup ran ~10 times per adoption in a profile. As a set-returning SQL function
-- used in FROM (`CROSS JOIN LATERAL adoption_state_on(a.id, d) st`), this one is inlined into the query:
-- one index probe for the span in force, its fields read once. Same answer as adoption_state(): the span in
-- force on as_of, or the derivation on the spot where an adoption has no spans.
CREATE FUNCTION adoption_state_on(p_adoption bigint, p_as_of date) RETURNS SETOF adoption_state
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
