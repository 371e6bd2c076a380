-- 0011 peers at scale: the kNN features stored with each municipality, and their spread per country kept
-- current, so a peer search looks at the municipalities near the target instead of scoring all of them.
--
-- feature_lp, feature_la, feature_dg are ln(population), ln(area) and the degree of urbanisation, as the
-- peer search has always computed them. peer_feature_stats holds, per country and for all countries ('*'),
-- the count, mean and sum of squared deviations of each feature over the counted units (the standard
-- deviation the search divides by); a statement trigger refreshes the countries whose features changed.

ALTER TABLE municipality
    ADD COLUMN feature_lp float8 GENERATED ALWAYS AS (ln(nullif(population, 0)::float8)) STORED,
    ADD COLUMN feature_la float8 GENERATED ALWAYS AS (ln(nullif(area_km2, 0)::float8)) STORED,
    ADD COLUMN feature_dg float8 GENERATED ALWAYS AS (degurba::float8) STORED;

CREATE INDEX municipality_country_lp ON municipality (country_code, feature_lp) WHERE counted;
CREATE INDEX municipality_lp ON municipality (feature_lp) WHERE counted;
CREATE INDEX municipality_without_lp ON municipality (country_code, id) WHERE counted AND feature_lp IS NULL;
CREATE INDEX municipality_without_la ON municipality (country_code, id) WHERE counted AND feature_la IS NULL;
CREATE INDEX municipality_without_dg ON municipality (country_code, id) WHERE counted AND feature_dg IS NULL;

CREATE TABLE peer_feature_stats (
    scope   text PRIMARY KEY,      -- a country code, or '*' for every country
    n       bigint NOT NULL,       -- counted units
    n_lp    bigint NOT NULL, mean_lp float8, m2_lp float8,
    n_la    bigint NOT NULL, mean_la float8, m2_la float8,
    n_dg    bigint NOT NULL, mean_dg float8, m2_dg float8
);

CREATE FUNCTION refresh_peer_feature_stats(p_countries text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM peer_feature_stats WHERE p_countries IS NULL OR scope = ANY (p_countries) OR scope = '*';
    INSERT INTO peer_feature_stats
    SELECT coalesce(m.country_code, '*'), count(*),
           count(m.feature_lp), avg(m.feature_lp), var_pop(m.feature_lp) * count(m.feature_lp),
           count(m.feature_la), avg(m.feature_la), var_pop(m.feature_la) * count(m.feature_la),
           count(m.feature_dg), avg(m.feature_dg), var_pop(m.feature_dg) * count(m.feature_dg)
    FROM municipality m
    WHERE m.counted AND (p_countries IS NULL OR m.country_code = ANY (p_countries))
    GROUP BY m.country_code;
    INSERT INTO peer_feature_stats
    SELECT '*', count(*),
           count(m.feature_lp), avg(m.feature_lp), var_pop(m.feature_lp) * count(m.feature_lp),
           count(m.feature_la), avg(m.feature_la), var_pop(m.feature_la) * count(m.feature_la),
           count(m.feature_dg), avg(m.feature_dg), var_pop(m.feature_dg) * count(m.feature_dg)
    FROM municipality m WHERE m.counted;
$$;

-- The standard deviation of a set (count n, mean, sum of squared deviations m2) with x added to it unless
-- it is already in (included) or missing; NULL for an empty set, as stddev_pop.
CREATE FUNCTION spread_with(n bigint, mean float8, m2 float8, x float8, included boolean) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN x IS NULL OR included THEN CASE WHEN coalesce(n, 0) > 0 THEN sqrt(greatest(m2, 0) / n) END
        ELSE sqrt(greatest(coalesce(m2, 0) + (x - coalesce(mean, x))
                           * (x - (coalesce(mean, x) + (x - coalesce(mean, x)) / (coalesce(n, 0) + 1))), 0)
                  / (coalesce(n, 0) + 1))
    END
$$;

CREATE FUNCTION refresh_peer_stats_after_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    countries text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        countries := ARRAY(SELECT DISTINCT country_code FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        countries := ARRAY(SELECT DISTINCT country_code FROM old_rows);
    ELSE
        countries := ARRAY(
            SELECT n.country_code FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.country_code, n.counted, n.feature_lp, n.feature_la, n.feature_dg)
                  IS DISTINCT FROM (o.country_code, o.counted, o.feature_lp, o.feature_la, o.feature_dg)
            UNION
            SELECT o.country_code FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.country_code, n.counted, n.feature_lp, n.feature_la, n.feature_dg)
                  IS DISTINCT FROM (o.country_code, o.counted, o.feature_lp, o.feature_la, o.feature_dg));
    END IF;
    IF cardinality(countries) > 0 THEN
        PERFORM refresh_peer_feature_stats(countries);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER municipality_peer_stats_insert AFTER INSERT ON municipality REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_peer_stats_after_change();
CREATE TRIGGER municipality_peer_stats_update AFTER UPDATE ON municipality
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_peer_stats_after_change();
CREATE TRIGGER municipality_peer_stats_delete AFTER DELETE ON municipality REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_peer_stats_after_change();

SELECT refresh_peer_feature_stats(NULL);
ANALYZE municipality;
