-- 0018 The indexed peer search as a PL/pgSQL function: the same answer as the peers_knn statement it replaces
-- (tests/test_peer_search.py compares it with the full scan), in less time per request.
--
-- * Planning: the statement's scope was optional (`$2 IS NULL OR country_code = $2`), so PostgreSQL planned
--   it anew for every request (~1.3-2 ms, as long as running it). Here each step is a short statement of
--   its own, one per scope where the scope picks the index, and their generic plans are kept for the session
--   (plan_cache_mode: left to itself, PostgreSQL planned the step for units lacking data anew each time).
-- * Reading: the window of candidates (often several hundred units) was read from the table with every
--   column the answer shows. The two peer indexes now carry the three features and the id, so the window is
--   scored from the index alone, and only the k peers are looked up for their names. The window is also
--   bounded in area and urbanisation (a unit within distance D differs by at most D standard deviations in
--   every used feature), so fewer units are scored.
-- * Units lacking a used feature are counted from their partial indexes (0011), each branch only when its
--   feature is used; before, a hash join against the whole table could be chosen (~15 ms).
DROP INDEX municipality_country_lp;
DROP INDEX municipality_lp;
CREATE INDEX municipality_country_lp ON municipality (country_code, feature_lp) INCLUDE (feature_la, feature_dg, id)
    WHERE counted;
CREATE INDEX municipality_lp ON municipality (feature_lp) INCLUDE (feature_la, feature_dg, id) WHERE counted;

-- The k nearest peers of p_target among the counted units of p_country (NULL: of every country) on
-- standardised ln(population), ln(area) and degree of urbanisation, as peers_knn_scan defines them; NULL
-- when population is not a used feature (the caller then runs the scan). The spread comes from
-- peer_feature_stats; the 4k units nearest in ln(population) give an upper bound D on the k-th distance, and
-- only units whose ln(population) lies within D standard deviations of the target's can be nearer.
CREATE FUNCTION peers_knn(p_target text, p_country text, p_k integer) RETURNS jsonb
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    t        record;
    n        bigint;
    s_lp     float8;
    s_la     float8;
    s_dg     float8;
    u_lp     boolean;
    u_la     boolean;
    u_dg     boolean;
    near     float8[];   -- distances of the nearest units in ln(population), at most 8k
    lo       float8 := '-infinity';   -- the window in each used feature
    hi       float8 := 'infinity';
    la_lo    float8 := '-infinity';
    la_hi    float8 := 'infinity';
    dg_lo    float8 := '-infinity';
    dg_hi    float8 := 'infinity';
    ranked   jsonb;
    lacking  bigint;
    listed   jsonb;
BEGIN
    SELECT m.id, m.country_code, m.population, m.area_km2::float8 AS area_km2, m.degurba,
           m.feature_lp AS lp, m.feature_la AS la, m.feature_dg AS dg,
           m.counted AND (p_country IS NULL OR m.country_code = p_country) AS inside
      INTO t FROM municipality m WHERE m.id = p_target;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT st.n, spread_with(st.n_lp, st.mean_lp, st.m2_lp, t.lp, t.inside),
           spread_with(st.n_la, st.mean_la, st.m2_la, t.la, t.inside),
           spread_with(st.n_dg, st.mean_dg, st.m2_dg, t.dg, t.inside)
      INTO n, s_lp, s_la, s_dg
      FROM peer_feature_stats st WHERE st.scope = coalesce(p_country, '*');
    u_lp := t.lp IS NOT NULL AND coalesce(s_lp, 0) > 0;
    u_la := t.la IS NOT NULL AND coalesce(s_la, 0) > 0;
    u_dg := t.dg IS NOT NULL AND coalesce(s_dg, 0) > 0;
    IF NOT u_lp THEN
        RETURN NULL;
    END IF;

    -- the bound: the k smallest distances among the 4k nearest in ln(population) on either side
    IF p_country IS NULL THEN
        SELECT array_agg(d ORDER BY d) INTO near FROM (
            SELECT peer_distance(c.lp, c.la, c.dg, t.lp, t.la, t.dg, s_lp, s_la, s_dg, u_la, u_dg) AS d
            FROM ((SELECT m.id, m.feature_lp AS lp, m.feature_la AS la, m.feature_dg AS dg FROM municipality m
                   WHERE m.counted AND m.id <> t.id AND m.feature_lp >= t.lp ORDER BY m.feature_lp LIMIT 4 * p_k)
                  UNION ALL
                  (SELECT m.id, m.feature_lp, m.feature_la, m.feature_dg FROM municipality m
                   WHERE m.counted AND m.id <> t.id AND m.feature_lp < t.lp ORDER BY m.feature_lp DESC LIMIT 4 * p_k)) c
            WHERE NOT (u_la AND c.la IS NULL) AND NOT (u_dg AND c.dg IS NULL)
            ORDER BY 1 LIMIT p_k) x;
    ELSE
        SELECT array_agg(d ORDER BY d) INTO near FROM (
            SELECT peer_distance(c.lp, c.la, c.dg, t.lp, t.la, t.dg, s_lp, s_la, s_dg, u_la, u_dg) AS d
            FROM ((SELECT m.id, m.feature_lp AS lp, m.feature_la AS la, m.feature_dg AS dg FROM municipality m
                   WHERE m.counted AND m.country_code = p_country AND m.id <> t.id AND m.feature_lp >= t.lp
                   ORDER BY m.feature_lp LIMIT 4 * p_k)
                  UNION ALL
                  (SELECT m.id, m.feature_lp, m.feature_la, m.feature_dg FROM municipality m
                   WHERE m.counted AND m.country_code = p_country AND m.id <> t.id AND m.feature_lp < t.lp
                   ORDER BY m.feature_lp DESC LIMIT 4 * p_k)) c
            WHERE NOT (u_la AND c.la IS NULL) AND NOT (u_dg AND c.dg IS NULL)
            ORDER BY 1 LIMIT p_k) x;
    END IF;
    IF coalesce(cardinality(near), 0) = p_k THEN
        lo := t.lp - (near[p_k] * s_lp) * (1 + 1e-9) - 1e-12;
        hi := t.lp + (near[p_k] * s_lp) * (1 + 1e-9) + 1e-12;
        -- a unit within distance D differs by at most D standard deviations in every used feature
        IF u_la THEN
            la_lo := t.la - (near[p_k] * s_la) * (1 + 1e-9) - 1e-12;
            la_hi := t.la + (near[p_k] * s_la) * (1 + 1e-9) + 1e-12;
        END IF;
        IF u_dg THEN
            dg_lo := t.dg - (near[p_k] * s_dg) * (1 + 1e-9) - 1e-12;
            dg_hi := t.dg + (near[p_k] * s_dg) * (1 + 1e-9) + 1e-12;
        END IF;
    END IF;

    -- the k nearest within the window, scored from the index; names looked up for those k only
    IF p_country IS NULL THEN
        SELECT jsonb_agg(peer_json(m, r.distance, r.d_lp, r.d_la, r.d_dg) ORDER BY r.distance, r.id) INTO ranked
        FROM (SELECT c.id, c.d_lp, c.d_la, c.d_dg, sqrt(coalesce(c.d_lp, 0) + coalesce(c.d_la, 0) + coalesce(c.d_dg, 0)) AS distance
              FROM (SELECT m.id, peer_contribution(m.feature_lp, t.lp, s_lp, true) AS d_lp,
                           peer_contribution(m.feature_la, t.la, s_la, u_la) AS d_la,
                           peer_contribution(m.feature_dg, t.dg, s_dg, u_dg) AS d_dg
                    FROM municipality m
                    WHERE m.counted AND m.id <> t.id AND m.feature_lp BETWEEN lo AND hi
                      AND NOT (u_la AND m.feature_la IS NULL) AND NOT (u_dg AND m.feature_dg IS NULL)
                      AND (NOT u_la OR m.feature_la BETWEEN la_lo AND la_hi)
                      AND (NOT u_dg OR m.feature_dg BETWEEN dg_lo AND dg_hi)) c
              ORDER BY distance, c.id LIMIT p_k) r
        JOIN municipality m ON m.id = r.id;
    ELSE
        SELECT jsonb_agg(peer_json(m, r.distance, r.d_lp, r.d_la, r.d_dg) ORDER BY r.distance, r.id) INTO ranked
        FROM (SELECT c.id, c.d_lp, c.d_la, c.d_dg, sqrt(coalesce(c.d_lp, 0) + coalesce(c.d_la, 0) + coalesce(c.d_dg, 0)) AS distance
              FROM (SELECT m.id, peer_contribution(m.feature_lp, t.lp, s_lp, true) AS d_lp,
                           peer_contribution(m.feature_la, t.la, s_la, u_la) AS d_la,
                           peer_contribution(m.feature_dg, t.dg, s_dg, u_dg) AS d_dg
                    FROM municipality m
                    WHERE m.counted AND m.country_code = p_country AND m.id <> t.id
                      AND m.feature_lp BETWEEN lo AND hi
                      AND NOT (u_la AND m.feature_la IS NULL) AND NOT (u_dg AND m.feature_dg IS NULL)
                      AND (NOT u_la OR m.feature_la BETWEEN la_lo AND la_hi)
                      AND (NOT u_dg OR m.feature_dg BETWEEN dg_lo AND dg_hi)) c
              ORDER BY distance, c.id LIMIT p_k) r
        JOIN municipality m ON m.id = r.id;
    END IF;

    -- units lacking a used feature: counted, and the first 50 by id listed
    IF p_country IS NULL THEN
        WITH l AS (SELECT m.id FROM municipality m WHERE m.counted AND m.feature_lp IS NULL AND m.id <> t.id
                   UNION
                   SELECT m.id FROM municipality m WHERE u_la AND m.counted AND m.feature_la IS NULL AND m.id <> t.id
                   UNION
                   SELECT m.id FROM municipality m WHERE u_dg AND m.counted AND m.feature_dg IS NULL AND m.id <> t.id)
        SELECT (SELECT count(*) FROM l),
               (SELECT jsonb_agg(peer_lacking_json(m, u_la, u_dg) ORDER BY m.id)
                FROM (SELECT l.id FROM l ORDER BY l.id LIMIT 50) f JOIN municipality m ON m.id = f.id)
          INTO lacking, listed;
    ELSE
        WITH l AS (SELECT m.id FROM municipality m
                   WHERE m.counted AND m.feature_lp IS NULL AND m.country_code = p_country AND m.id <> t.id
                   UNION
                   SELECT m.id FROM municipality m
                   WHERE u_la AND m.counted AND m.feature_la IS NULL AND m.country_code = p_country AND m.id <> t.id
                   UNION
                   SELECT m.id FROM municipality m
                   WHERE u_dg AND m.counted AND m.feature_dg IS NULL AND m.country_code = p_country AND m.id <> t.id)
        SELECT (SELECT count(*) FROM l),
               (SELECT jsonb_agg(peer_lacking_json(m, u_la, u_dg) ORDER BY m.id)
                FROM (SELECT l.id FROM l ORDER BY l.id LIMIT 50) f JOIN municipality m ON m.id = f.id)
          INTO lacking, listed;
    END IF;

    RETURN jsonb_build_object(
        'target', jsonb_build_object('id', t.id, 'country', t.country_code, 'population', t.population,
                                     'area_km2', t.area_km2, 'degurba', t.degurba),
        'features', jsonb_build_object(
            'population', jsonb_build_object('used', u_lp, 'transform', 'ln', 'scale', s_lp),
            'area', jsonb_build_object('used', u_la, 'transform', 'ln', 'scale', s_la),
            'urbanisation', jsonb_build_object('used', u_dg, 'transform', 'degurba 1-3', 'scale', s_dg)),
        'candidates', coalesce(n, 0) - CASE WHEN t.inside THEN 1 ELSE 0 END,
        'peers', coalesce(ranked, '[]'),
        'without_data_count', lacking,
        'without_data', coalesce(listed, '[]'));
END
$$;

-- One feature's squared standardised difference; NULL when the feature is not used.
CREATE FUNCTION peer_contribution(x float8, target float8, scale float8, used boolean) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN used THEN ((x - target) / scale) ^ 2 END
$$;

-- The distance of a unit from the target (ln(population) always used).
CREATE FUNCTION peer_distance(lp float8, la float8, dg float8, t_lp float8, t_la float8, t_dg float8,
                              s_lp float8, s_la float8, s_dg float8, u_la boolean, u_dg boolean) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sqrt(coalesce(peer_contribution(lp, t_lp, s_lp, true), 0)
              + coalesce(peer_contribution(la, t_la, s_la, u_la), 0)
              + coalesce(peer_contribution(dg, t_dg, s_dg, u_dg), 0))
$$;

-- A peer as the answer shows it (STABLE like jsonb_build_object, so that the planner inlines it).
CREATE FUNCTION peer_json(m municipality, distance float8, d_lp float8, d_la float8, d_dg float8) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', m.id, 'name_local', m.name_local, 'name_latin', m.name_latin, 'country', m.country_code,
        'kind', m.kind, 'population', m.population, 'area_km2', m.area_km2::float8, 'degurba', m.degurba,
        'distance', round(distance::numeric, 4),
        'contributions', jsonb_strip_nulls(jsonb_build_object(
            'population', round(d_lp::numeric, 4), 'area', round(d_la::numeric, 4),
            'urbanisation', round(d_dg::numeric, 4))))
$$;

-- A unit lacking a used feature, with the features it lacks.
CREATE FUNCTION peer_lacking_json(m municipality, u_la boolean, u_dg boolean) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', m.id, 'name_local', m.name_local, 'missing', to_jsonb(array_remove(ARRAY[
        CASE WHEN m.feature_lp IS NULL THEN 'population' END,
        CASE WHEN u_la AND m.feature_la IS NULL THEN 'area' END,
        CASE WHEN u_dg AND m.feature_dg IS NULL THEN 'urbanisation' END], NULL)))
$$;
