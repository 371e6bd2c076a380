-- name: resolve_many
-- Resolve (scheme, value) pairs to municipality ids, in input order; NULL where nothing matches.
SELECT t.ord, t.scheme, t.value,
       CASE WHEN t.scheme = 'id' THEN (SELECT m.id FROM municipality m WHERE m.id = lower(t.value))
            ELSE (SELECT i.municipality_id FROM municipality_identifier i
                   WHERE i.scheme = t.scheme AND i.value = upper(t.value)) END AS municipality_id
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(scheme, value, ord)
ORDER BY t.ord;

-- name: compare_municipalities
-- Side by side on $2: per adoption its status span on $2 (audience $3 skipped); awards dated by $2, labels
-- granted by $2 and programme memberships. $1 = municipality ids; one row per known id, in the order asked.
SELECT c.id, c.name_local, c.name_latin, c.country_code, c.kind, c.population, c.population_year,
       c.area_km2::float8 AS area_km2, c.degurba,
       ARRAY(SELECT ROW(a.model_code, mo.name, sp.status, sp.basis, sp.reason, sp.since, sp.since_day, sp.edition,
                        sp.edition_inferred, sp.valid_until, sp.last_audit, sp.next_due, sp.overdue, sp.first_dated,
                        sp.last_evidence_date, sp.last_evidenced_status, sp.certificate_ended)
               FROM adoption a
               JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.audience <> $3
                                           AND sp.valid_from <= $2 AND $2 < sp.valid_to
               JOIN model mo ON mo.code = a.model_code
              WHERE a.municipality_id = c.id
              ORDER BY a.model_code, a.id) AS models,
       ARRAY(SELECT ROW(aw.scheme_code, aw.year, aw.level, aw.category, aw.source_id)
               FROM award aw
              WHERE aw.municipality_id = c.id AND coalesce(aw.date_to, make_date(aw.year, 12, 31)) <= $2
                AND (aw.public OR $3 = 'p')
              ORDER BY aw.year, aw.id) AS awards,
       ARRAY(SELECT ROW(a.model_code, partial_date(e.date_from, e.date_to, e.date_precision), e.body_id, e.source_id)
               FROM event e JOIN adoption a ON a.id = e.adoption_id
              WHERE a.municipality_id = c.id AND e.type = 'label_granted' AND e.date_to <= $2
                AND (e.public OR $3 = 'p')
              ORDER BY e.date_from, e.id) AS labels,
       ARRAY(SELECT ROW(p.id, p.name, p.model_code, partial_date(pm.joined_from, pm.joined_to, pm.joined_precision))
               FROM programme_member pm JOIN programme p ON p.id = pm.programme_id
              WHERE pm.municipality_id = c.id
              ORDER BY p.id) AS programmes
FROM unnest($1::text[]) WITH ORDINALITY AS t(id, ord)
JOIN municipality c ON c.id = t.id
ORDER BY t.ord;

-- name: peers_knn_scan
-- k nearest neighbours of $1 on standardised ln(population), ln(area) and degree of urbanisation.
-- Candidates: counted units of country $2 (NULL = every country), or only the ids in $4 (custom set).
-- Features are those the target has and that vary; each is divided by its standard deviation over the
-- candidates and the target. Candidates missing a used feature are reported, not ranked.
WITH target AS (
    SELECT m.id, m.country_code, m.population, m.area_km2, m.degurba,
           ln(nullif(m.population, 0)::float8) AS lp, ln(nullif(m.area_km2, 0)::float8) AS la,
           m.degurba::float8 AS dg
    FROM municipality m WHERE m.id = $1
), cand AS (
    SELECT m.id, m.name_local, m.name_latin, m.country_code, m.kind, m.population,
           m.area_km2::float8 AS area_km2, m.degurba,
           ln(nullif(m.population, 0)::float8) AS lp, ln(nullif(m.area_km2, 0)::float8) AS la,
           m.degurba::float8 AS dg
    FROM municipality m
    WHERE m.id <> $1
      AND (CASE WHEN $4::text[] IS NULL
                THEN m.counted AND ($2::text IS NULL OR m.country_code = $2)
                ELSE m.id = ANY ($4::text[]) END)
), spread AS (  -- over the candidates and the municipality itself
    SELECT stddev_pop(x.lp) AS s_lp, stddev_pop(x.la) AS s_la, stddev_pop(x.dg) AS s_dg
    FROM (SELECT lp, la, dg FROM cand UNION ALL SELECT lp, la, dg FROM target) x
), used AS (
    SELECT (t.lp IS NOT NULL AND coalesce(s.s_lp, 0) > 0) AS u_lp,
           (t.la IS NOT NULL AND coalesce(s.s_la, 0) > 0) AS u_la,
           (t.dg IS NOT NULL AND coalesce(s.s_dg, 0) > 0) AS u_dg,
           s.s_lp, s.s_la, s.s_dg
    FROM target t, spread s
), scored AS (
    SELECT c.*,
           CASE WHEN u.u_lp THEN ((c.lp - t.lp) / u.s_lp) ^ 2 END AS d_lp,
           CASE WHEN u.u_la THEN ((c.la - t.la) / u.s_la) ^ 2 END AS d_la,
           CASE WHEN u.u_dg THEN ((c.dg - t.dg) / u.s_dg) ^ 2 END AS d_dg,
           array_remove(ARRAY[CASE WHEN u.u_lp AND c.lp IS NULL THEN 'population' END,
                              CASE WHEN u.u_la AND c.la IS NULL THEN 'area' END,
                              CASE WHEN u.u_dg AND c.dg IS NULL THEN 'urbanisation' END], NULL) AS missing
    FROM cand c, target t, used u
), ranked AS (
    SELECT s.*, sqrt(coalesce(d_lp, 0) + coalesce(d_la, 0) + coalesce(d_dg, 0)) AS distance
    FROM scored s WHERE cardinality(s.missing) = 0
    ORDER BY distance, s.id
    LIMIT $3
)
SELECT jsonb_build_object(
    'target', (SELECT jsonb_build_object('id', t.id, 'country', t.country_code, 'population', t.population,
                                         'area_km2', t.area_km2::float8, 'degurba', t.degurba) FROM target t),
    'features', (SELECT jsonb_build_object(
                    'population', jsonb_build_object('used', u.u_lp, 'transform', 'ln', 'scale', u.s_lp),
                    'area', jsonb_build_object('used', u.u_la, 'transform', 'ln', 'scale', u.s_la),
                    'urbanisation', jsonb_build_object('used', u.u_dg, 'transform', 'degurba 1-3', 'scale', u.s_dg))
                 FROM used u),
    'candidates', (SELECT count(*) FROM cand),
    'peers', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                 'id', r.id, 'name_local', r.name_local, 'name_latin', r.name_latin, 'country', r.country_code,
                 'kind', r.kind, 'population', r.population, 'area_km2', r.area_km2, 'degurba', r.degurba,
                 'distance', round(r.distance::numeric, 4),
                 'contributions', jsonb_strip_nulls(jsonb_build_object(
                     'population', round(r.d_lp::numeric, 4), 'area', round(r.d_la::numeric, 4),
                     'urbanisation', round(r.d_dg::numeric, 4))))
                 ORDER BY r.distance, r.id), '[]') FROM ranked r),
    'without_data_count', (SELECT count(*) FROM scored s WHERE cardinality(s.missing) > 0),
    'without_data', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'name_local', w.name_local,
                                                                  'missing', to_jsonb(w.missing)) ORDER BY w.id), '[]')
                       FROM (SELECT * FROM scored s WHERE cardinality(s.missing) > 0 ORDER BY s.id LIMIT 50) w)
) AS result
FROM target;

-- name: peers_knn_of
-- The municipality $1 (no row when unknown), and peers_knn of it among the units of its own country ($2 true)
-- or of every country, k = $3: one round trip for the usual peers request.
SELECT m.id, m.country_code, peers_knn(m.id, CASE WHEN $2::boolean THEN m.country_code END, $3) AS result
FROM municipality m WHERE m.id = $1;

-- name: peers_band
-- Peers of $1 in the same country and kind whose population lies in the same band [$2, $3).
-- Those of the same country and kind without a population are reported, not ranked.
WITH target AS (SELECT * FROM municipality WHERE id = $1),
cand AS (
    SELECT m.* FROM municipality m, target t
    WHERE m.counted AND m.id <> t.id AND m.country_code = t.country_code AND m.kind = t.kind
)
SELECT jsonb_build_object(
    'target', (SELECT jsonb_build_object('id', t.id, 'country', t.country_code, 'kind', t.kind,
                                         'population', t.population) FROM target t),
    'candidates', (SELECT count(*) FROM cand),
    'peers', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                 'id', c.id, 'name_local', c.name_local, 'name_latin', c.name_latin, 'country', c.country_code,
                 'kind', c.kind, 'population', c.population, 'area_km2', c.area_km2::float8, 'degurba', c.degurba,
                 'distance', round(abs(ln(c.population::float8 / t.population))::numeric, 4),
                 'contributions', jsonb_build_object('population', round(abs(ln(c.population::float8 / t.population))::numeric, 4)))
                 ORDER BY abs(ln(c.population::float8 / t.population)), c.id), '[]')
              FROM cand c, target t
              WHERE c.population >= $2 AND ($3::bigint IS NULL OR c.population < $3) AND c.population > 0
                AND t.population > 0),
    'without_data_count', (SELECT count(*) FROM cand c WHERE c.population IS NULL),
    'without_data', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'name_local', c.name_local,
                                                                  'missing', '["population"]'::jsonb) ORDER BY c.id), '[]')
                       FROM (SELECT * FROM cand WHERE population IS NULL ORDER BY id LIMIT 50) c)
) AS result
FROM target;

-- name: benchmark_models
-- For each model the target ($1) or its peers ($2) adopted: how many peers the evidence confirms hold it on $3
-- (spans of the audience not $4), how many no evidence reaches after they held it, when they first adopted it
-- (earliest dated evidence, at its precision; the median too), and where the target stands.
WITH peer AS (SELECT unnest($2::text[]) AS id),
ad AS (
    SELECT a.municipality_id, a.model_code, a.municipality_id = $1 AS is_target,
           is_holding(sp.status) AND sp.basis <> 'unknown' AS holding,
           sp.status = 'unknown' AND is_holding(sp.last_evidenced_status) AS may_hold,
           sp.status, sp.basis, (SELECT min(e.date_from) FROM event e
                                   WHERE e.adoption_id = a.id AND e.date_from IS NOT NULL AND e.date_to <= $3) AS first_day,
           sp.first_dated
    FROM adoption a
    JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.audience <> $4
                                AND sp.valid_from <= $3 AND $3 < sp.valid_to
    -- one array, not `= $1 OR IN (peers)`: the OR kept the planner from the unit's index and made it scan every
    -- span in force (a seq scan of adoption_status_span, 4 ms at 3,000 adoptions and growing with them)
    WHERE a.municipality_id = ANY (array_prepend($1::text, $2::text[]))
), per AS (  -- one row per municipality and model (several scopes fold into one)
    SELECT municipality_id, model_code, bool_or(is_target) AS is_target, bool_or(holding) AS holding,
           bool_or(may_hold) AND NOT bool_or(holding) AS may_hold, min(first_day) AS first_day,
           (array_agg(first_dated ORDER BY first_day NULLS LAST))[1] AS first_dated,
           (array_agg(status ORDER BY holding DESC, status))[1] AS status,
           (array_agg(basis ORDER BY holding DESC, status))[1] AS basis
    FROM ad GROUP BY municipality_id, model_code
)
SELECT p.model_code AS model, mo.name AS model_name,
       (SELECT count(*) FROM peer) AS peers,
       count(*) FILTER (WHERE NOT p.is_target AND p.holding) AS peers_holding,
       count(*) FILTER (WHERE NOT p.is_target AND p.may_hold) AS peers_unknown,
       count(*) FILTER (WHERE NOT p.is_target AND p.first_day IS NOT NULL) AS peers_adopted,
       (array_agg(p.first_dated ORDER BY p.first_day) FILTER (WHERE NOT p.is_target AND p.first_day IS NOT NULL))[1]
           AS peers_first_adoption,
       -- the median peer's first adoption (percentile_disc's pick), at the precision of its evidence
       (array_agg(p.first_dated ORDER BY p.first_day, p.municipality_id)
            FILTER (WHERE NOT p.is_target AND p.first_day IS NOT NULL))[
           ceil(count(*) FILTER (WHERE NOT p.is_target AND p.first_day IS NOT NULL) / 2.0)::int]
           AS peers_median_adoption,
       bool_or(p.is_target AND p.holding) AS target_holding,
       max(p.status) FILTER (WHERE p.is_target) AS target_status,
       max(p.basis) FILTER (WHERE p.is_target) AS target_basis,
       max(p.first_dated) FILTER (WHERE p.is_target) AS target_first_adoption,
       count(*) FILTER (WHERE NOT p.is_target AND p.first_day IS NOT NULL
                        AND p.first_day > (SELECT min(q.first_day) FROM per q
                                            WHERE q.is_target AND q.model_code = p.model_code)) AS peers_adopted_later,
       bool_or(p.is_target AND p.first_day IS NOT NULL) AS target_adopted
FROM per p JOIN model mo ON mo.code = p.model_code
GROUP BY p.model_code, mo.name
ORDER BY p.model_code;

-- name: rankings
-- Transparent ranking on $6 (docs/api.md, "Rankings"), from what the evidence confirms within the window of $7
-- years up to $6 (spans of the audience not $14). Filters: $1 country, $2 model adopted, $3 kind, $4/$5 population
-- range; $8..$11 weights; paging $12 limit, $13 offset. Components: breadth = models held, as the evidence
-- confirms, on some day of the window; continuity = years of the longest continuous certification confirmed
-- through some day of the window, counted to its last confirmed day or $6; recognition = awards and labels in the
-- window; engagement = self-assessments and external feedback in the window. Municipalities with no adoption and
-- no award are not ranked; `unknown` lists the models whose status on $6 no evidence reaches. $15: the tier ranked
-- (municipality: the local governments rates count; another tier: every unit of it).
WITH scope AS (
    SELECT m.id, m.name_local, m.name_latin, m.country_code, m.kind, m.population
    FROM municipality m
    WHERE m.tier = $15 AND (m.counted OR m.tier <> 'municipality')
      AND ($1::text IS NULL OR m.country_code = $1)
      AND ($3::text IS NULL OR m.kind = $3)
      AND ($4::bigint IS NULL OR m.population >= $4)
      AND ($5::bigint IS NULL OR m.population <= $5)
      AND ($2::text IS NULL OR m.id IN (SELECT a.municipality_id FROM adoption a WHERE a.model_code = $2))
), window_ AS (SELECT ($6::date - make_interval(years => $7::int))::date + 1 AS first_day, $6::date AS last_day),
held AS (  -- spans in which a model is held as the evidence confirms, overlapping the window
    SELECT a.municipality_id, a.model_code, mo.lifecycle, sp.status, sp.since_day, sp.valid_from, sp.valid_to
    FROM scope s
    JOIN adoption a ON a.municipality_id = s.id
    JOIN model mo ON mo.code = a.model_code
    JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.audience <> $14
    CROSS JOIN window_ w
    WHERE is_holding(sp.status) AND sp.basis <> 'unknown'
      AND sp.valid_from <= w.last_day AND sp.valid_to > w.first_day
), by_state AS (
    SELECT h.municipality_id,
           count(DISTINCT h.model_code) AS breadth,
           coalesce(max((least(h.valid_to - 1, $6::date) - h.since_day + 1) / 365.25)
                    FILTER (WHERE h.lifecycle = 'certification' AND h.status = 'certified'), 0)::float8 AS continuity
    FROM held h GROUP BY h.municipality_id
), unknown AS (
    SELECT a.municipality_id, array_agg(DISTINCT a.model_code ORDER BY a.model_code) AS models
    FROM scope s JOIN adoption a ON a.municipality_id = s.id
    JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.audience <> $14
                                AND sp.valid_from <= $6 AND $6 < sp.valid_to
    WHERE sp.status = 'unknown' AND sp.last_evidence IS NOT NULL
    GROUP BY a.municipality_id
), by_award AS (
    SELECT aw.municipality_id, count(*) AS n FROM award aw JOIN scope s ON s.id = aw.municipality_id
    WHERE aw.year <= extract(year FROM $6::date) AND aw.year > extract(year FROM $6::date) - $7::int
      AND (aw.public OR $14 = 'p')
    GROUP BY aw.municipality_id
), by_event AS (
    SELECT a.municipality_id,
           count(*) FILTER (WHERE e.type = 'label_granted') AS labels,
           count(*) FILTER (WHERE e.type IN ('self_assessment', 'external_feedback')) AS engagement
    FROM event e JOIN adoption a ON a.id = e.adoption_id JOIN scope s ON s.id = a.municipality_id
    CROSS JOIN window_ w
    WHERE e.type IN ('label_granted', 'self_assessment', 'external_feedback')
      AND e.date_to <= w.last_day AND e.date_to >= w.first_day AND (e.public OR $14 = 'p')
    GROUP BY a.municipality_id
), components AS (
    SELECT s.*, coalesce(bs.breadth, 0) AS breadth, coalesce(bs.continuity, 0) AS continuity,
           coalesce(ba.n, 0) + coalesce(be.labels, 0) AS recognition, coalesce(be.engagement, 0) AS engagement,
           coalesce(u.models, '{}') AS unknown
    FROM scope s
    LEFT JOIN by_state bs ON bs.municipality_id = s.id
    LEFT JOIN by_award ba ON ba.municipality_id = s.id
    LEFT JOIN by_event be ON be.municipality_id = s.id
    LEFT JOIN unknown u ON u.municipality_id = s.id
    WHERE EXISTS (SELECT 1 FROM adoption a WHERE a.municipality_id = s.id)
       OR EXISTS (SELECT 1 FROM award aw WHERE aw.municipality_id = s.id)
), scaled AS (
    SELECT c.*,
           coalesce(c.breadth::float8 / nullif(max(c.breadth) OVER (), 0), 0) AS breadth_scaled,
           coalesce(c.continuity / nullif(max(c.continuity) OVER (), 0), 0) AS continuity_scaled,
           coalesce(c.recognition::float8 / nullif(max(c.recognition) OVER (), 0), 0) AS recognition_scaled,
           coalesce(c.engagement::float8 / nullif(max(c.engagement) OVER (), 0), 0) AS engagement_scaled
    FROM components c
), scored AS (
    SELECT s.*, round((100 * ($8 * s.breadth_scaled + $9 * s.continuity_scaled + $10 * s.recognition_scaled
                              + $11 * s.engagement_scaled) / ($8 + $9 + $10 + $11))::numeric, 2) AS score
    FROM scaled s
)
SELECT x.id, x.name_local, x.name_latin, x.country_code AS country, x.kind, x.population,
       rank() OVER (ORDER BY x.score DESC) AS rank, x.score,
       x.breadth, round(x.continuity::numeric, 2)::float8 AS continuity, x.recognition, x.engagement,
       round(x.breadth_scaled::numeric, 4)::float8 AS breadth_scaled,
       round(x.continuity_scaled::numeric, 4)::float8 AS continuity_scaled,
       round(x.recognition_scaled::numeric, 4)::float8 AS recognition_scaled,
       round(x.engagement_scaled::numeric, 4)::float8 AS engagement_scaled, x.unknown,
       count(*) OVER () AS ranked_total,
       (SELECT count(*) FROM scope) - count(*) OVER () AS unranked_without_records
FROM scored x
ORDER BY rank, x.id
LIMIT $12 OFFSET $13;

-- name: rankings_scope_size
-- How many municipalities the filters select and how many of them have no record (for an empty page); $6 the tier.
SELECT count(*) AS in_scope
FROM municipality m
WHERE m.tier = $6 AND (m.counted OR m.tier <> 'municipality')
  AND ($1::text IS NULL OR m.country_code = $1)
  AND ($3::text IS NULL OR m.kind = $3)
  AND ($4::bigint IS NULL OR m.population >= $4)
  AND ($5::bigint IS NULL OR m.population <= $5)
  AND ($2::text IS NULL OR m.id IN (SELECT a.municipality_id FROM adoption a WHERE a.model_code = $2));

-- name: adoption_stats_by_year
-- Per year $3..$4 for model $1 in countries $2 (NULL = all), counting units of tier $7: first adoptions that year
-- (earliest dated evidence by $5), cumulative adopters, the holders on the year's last day (or $5 in its own
-- year) as bounds — those the evidence confirms (evidenced or inferred), and those that may hold (adding the
-- ones no evidence reaches after they held it) — from the spans of the audience not $6; the roster denominator and
-- whether every roster involved is complete (for a tier other than municipality: and lists that tier). An award
-- scheme's awards per year are counted instead.
WITH scope AS (
    SELECT m.id, m.country_code FROM municipality m
    WHERE m.tier = $7 AND (m.counted OR m.tier <> 'municipality')
      AND ($2::text[] IS NULL OR m.country_code = ANY ($2::text[]))
), tier_roster AS (  -- countries whose roster lists the units of tier $7 (every country's lists its municipalities)
    SELECT DISTINCT m.country_code FROM municipality m
    WHERE $7 <> 'municipality' AND m.tier = $7 AND m.roster_source_id IS NOT NULL
), ad AS (
    SELECT a.id, a.municipality_id FROM adoption a JOIN scope s ON s.id = a.municipality_id WHERE a.model_code = $1
), first AS (
    SELECT ad.municipality_id, min(e.date_from) AS first_date
    FROM ad LEFT JOIN event e ON e.adoption_id = ad.id AND e.date_from IS NOT NULL AND e.date_to <= $5
    GROUP BY ad.municipality_id
    UNION ALL
    SELECT aw.municipality_id, make_date(min(aw.year), 1, 1) FROM award aw JOIN scope s ON s.id = aw.municipality_id
    WHERE aw.scheme_code = $1 AND make_date(aw.year, 1, 1) <= $5 GROUP BY aw.municipality_id
), years AS (
    SELECT y, least(make_date(y, 12, 31), $5::date) AS day FROM generate_series($3::int, $4::int) AS y
), counted AS (  -- each span counts for the year-end days it covers (one pass over the spans)
    SELECT y.y, ad.municipality_id, sp.basis <> 'unknown' AS confirmed
    FROM ad
    JOIN adoption_status_span sp ON sp.adoption_id = ad.id AND sp.audience <> $6
                                AND (is_holding(sp.status) AND sp.basis <> 'unknown'
                                     OR sp.status = 'unknown' AND is_holding(sp.last_evidenced_status))
    CROSS JOIN LATERAL generate_series(
        greatest($3::int, extract(year FROM greatest(sp.valid_from, '1000-01-01'::date))::int),
        least($4::int, extract(year FROM least(sp.valid_to, '3000-01-01'::date))::int)) AS y(y)
    WHERE least(make_date(y.y, 12, 31), $5::date) >= sp.valid_from
      AND least(make_date(y.y, 12, 31), $5::date) < sp.valid_to
), holding AS (
    SELECT y, count(DISTINCT municipality_id) FILTER (WHERE confirmed) AS confirmed,
           count(DISTINCT municipality_id) AS possible
    FROM counted GROUP BY y
), awards AS (
    SELECT aw.year AS y, count(*) AS n FROM award aw JOIN scope s ON s.id = aw.municipality_id
    WHERE aw.scheme_code = $1 AND make_date(aw.year, 1, 1) <= $5 AND (aw.public OR $6 = 'p') GROUP BY aw.year
), firsts AS (
    SELECT extract(year FROM first_date)::int AS y, count(*) AS n FROM first WHERE first_date IS NOT NULL GROUP BY 1
), coverage AS (
    SELECT count(*) AS denominator,
           bool_and(x.complete) AND count(*) > 0 AS roster_complete,
           array_agg(DISTINCT s.country_code) FILTER (WHERE NOT x.complete) AS incomplete_countries
    FROM scope s JOIN country c ON c.code = s.country_code
    CROSS JOIN LATERAL (SELECT c.roster_complete AND ($7 = 'municipality' OR EXISTS (
                                   SELECT 1 FROM tier_roster t WHERE t.country_code = s.country_code)) AS complete) x
)
SELECT yr.y::text AS grp, yr.day AS holding_on,
       coalesce((SELECT f.n FROM firsts f WHERE f.y = yr.y), 0) AS first_adoptions,
       (SELECT coalesce(sum(f.n), 0) FROM firsts f WHERE f.y <= yr.y)::bigint AS cumulative_adopters,
       coalesce(h.confirmed, 0) AS holders_confirmed, coalesce(h.possible, 0) AS holders_possible,
       coalesce((SELECT a.n FROM awards a WHERE a.y = yr.y), 0) AS awards,
       cv.denominator, cv.roster_complete, cv.incomplete_countries,
       (SELECT count(*) FROM first f WHERE f.first_date IS NULL) AS undated_adopters
FROM years yr CROSS JOIN coverage cv LEFT JOIN holding h ON h.y = yr.y
ORDER BY yr.y;

-- name: adoption_stats_by_group
-- Per country, kind or region ($6) for model $1 in countries $2 (NULL = all), counting units of tier $9: the
-- roster denominator, holders on $5 as bounds (confirmed; possible), first adoptions between $3 and $4, cumulative
-- adopters by $4, awards of an award scheme in the period; spans of the audience not $8. By region, the region's
-- kind and names (to label the group).
WITH scope AS (
    SELECT m.id, m.country_code, m.kind, m.region_code,
           CASE $6::text WHEN 'country' THEN m.country_code WHEN 'kind' THEN m.kind
                         ELSE coalesce(m.region_code, m.country_code || '-unassigned') END AS grp
    FROM municipality m
    WHERE m.tier = $9 AND (m.counted OR m.tier <> 'municipality')
      AND ($2::text[] IS NULL OR m.country_code = ANY ($2::text[]))
), tier_roster AS (  -- countries whose roster lists the units of tier $9 (every country's lists its municipalities)
    SELECT DISTINCT m.country_code FROM municipality m
    WHERE $9 <> 'municipality' AND m.tier = $9 AND m.roster_source_id IS NOT NULL
), per AS (  -- per municipality: first dated evidence by as_of, and how its spans on as_of hold
    SELECT a.municipality_id,
           (SELECT min(e.date_from) FROM event e JOIN adoption a2 ON a2.id = e.adoption_id
             WHERE a2.municipality_id = a.municipality_id AND a2.model_code = $1
               AND e.date_from IS NOT NULL AND e.date_to <= $5) AS first_date,
           bool_or(is_holding(sp.status) AND sp.basis <> 'unknown') AS confirmed,
           bool_or(is_holding(sp.status) AND sp.basis <> 'unknown'
                   OR sp.status = 'unknown' AND is_holding(sp.last_evidenced_status)) AS possible,
           0 AS awards
    FROM adoption a
    JOIN scope s ON s.id = a.municipality_id
    JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.audience <> $8
                                AND sp.valid_from <= $5 AND $5 < sp.valid_to
    WHERE a.model_code = $1
    GROUP BY a.municipality_id
    UNION ALL
    SELECT aw.municipality_id, make_date(min(aw.year), 1, 1), false, false,
           count(*) FILTER (WHERE make_date(aw.year, 12, 31) >= $3 AND make_date(aw.year, 1, 1) <= $4)
    FROM award aw JOIN scope s ON s.id = aw.municipality_id
    WHERE aw.scheme_code = $1 AND make_date(aw.year, 1, 1) <= $5 AND (aw.public OR $8 = 'p')
    GROUP BY aw.municipality_id
)
SELECT s.grp, rg.kind AS region_kind, rg.name_local AS region_name_local, rg.name_latin AS region_name_latin,
       count(*) AS denominator,
       count(p.municipality_id) FILTER (WHERE p.confirmed) AS holders_confirmed,
       count(p.municipality_id) FILTER (WHERE p.possible) AS holders_possible,
       count(p.municipality_id) FILTER (WHERE p.first_date BETWEEN $3 AND $4) AS first_adoptions,
       count(p.municipality_id) FILTER (WHERE p.first_date <= $4) AS cumulative_adopters,
       coalesce(sum(p.awards), 0)::bigint AS awards,
       count(p.municipality_id) FILTER (WHERE p.municipality_id IS NOT NULL AND p.first_date IS NULL) AS undated_adopters,
       bool_and(x.complete) AS roster_complete,
       array_agg(DISTINCT s.country_code) FILTER (WHERE NOT x.complete) AS incomplete_countries,
       NULL::date AS holding_on
FROM scope s JOIN country c ON c.code = s.country_code
CROSS JOIN LATERAL (SELECT c.roster_complete AND ($9 = 'municipality' OR EXISTS (
                               SELECT 1 FROM tier_roster t WHERE t.country_code = s.country_code)) AS complete) x
LEFT JOIN per p ON p.municipality_id = s.id
LEFT JOIN region rg ON $6::text = 'region' AND rg.code = s.grp
GROUP BY s.grp, rg.code
HAVING count(p.municipality_id) > 0 OR $7::boolean
ORDER BY s.grp;

-- name: adoption_first_year
-- The first year any municipality in scope adopted model $1 by $3 (default start of a by-year series): its
-- earliest dated evidence, or an award scheme's first award; units of tier $4.
SELECT least(
    (SELECT min(extract(year FROM e.date_from))::int
       FROM event e JOIN adoption a ON a.id = e.adoption_id JOIN municipality m ON m.id = a.municipality_id
      WHERE a.model_code = $1 AND m.tier = $4 AND (m.counted OR m.tier <> 'municipality')
        AND ($2::text[] IS NULL OR m.country_code = ANY ($2::text[]))
        AND e.date_from IS NOT NULL AND e.date_to <= $3),
    (SELECT min(aw.year)::int FROM award aw JOIN municipality m ON m.id = aw.municipality_id
      WHERE aw.scheme_code = $1 AND m.tier = $4 AND (m.counted OR m.tier <> 'municipality')
        AND ($2::text[] IS NULL OR m.country_code = ANY ($2::text[]))));

-- name: programme_progress
-- The members of programme $1 who had surely joined by $2, each with the first event of every milestone in the
-- programme's model that had surely happened by $2 (its date at its precision and its earliest possible day),
-- and the member's status on $2 (spans of the audience not $3).
SELECT pm.municipality_id, m.name_local, m.name_latin,
       partial_date(pm.joined_from, pm.joined_to, pm.joined_precision) AS joined, pm.joined_from,
       sa.date AS self_assessment, sa.day AS self_assessment_day,
       ip.date AS improvement_plan, ip.day AS improvement_plan_day,
       ef.date AS external_feedback, ef.day AS external_feedback_day,
       lb.date AS label, lb.day AS label_day,
       sp.status, sp.basis, sp.next_due
FROM programme p
JOIN programme_member pm ON pm.programme_id = p.id
JOIN municipality m ON m.id = pm.municipality_id
LEFT JOIN adoption a ON a.municipality_id = pm.municipality_id AND a.model_code = p.model_code AND a.scope = ''
LEFT JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.audience <> $3
                                 AND sp.valid_from <= $2 AND $2 < sp.valid_to
LEFT JOIN LATERAL (SELECT partial_date(e.date_from, e.date_to, e.date_precision) AS date, e.date_from AS day
                     FROM event e WHERE e.adoption_id = a.id AND e.type = 'self_assessment' AND e.date_to <= $2
                      AND (e.public OR $3 = 'p') ORDER BY e.date_from, e.id LIMIT 1) sa ON true
LEFT JOIN LATERAL (SELECT partial_date(e.date_from, e.date_to, e.date_precision) AS date, e.date_from AS day
                     FROM event e WHERE e.adoption_id = a.id AND e.type = 'improvement_plan' AND e.date_to <= $2
                      AND (e.public OR $3 = 'p') ORDER BY e.date_from, e.id LIMIT 1) ip ON true
LEFT JOIN LATERAL (SELECT partial_date(e.date_from, e.date_to, e.date_precision) AS date, e.date_from AS day
                     FROM event e WHERE e.adoption_id = a.id AND e.type = 'external_feedback' AND e.date_to <= $2
                      AND (e.public OR $3 = 'p') ORDER BY e.date_from, e.id LIMIT 1) ef ON true
LEFT JOIN LATERAL (SELECT partial_date(e.date_from, e.date_to, e.date_precision) AS date, e.date_from AS day
                     FROM event e WHERE e.adoption_id = a.id AND e.type = 'label_granted' AND e.date_to <= $2
                      AND (e.public OR $3 = 'p') ORDER BY e.date_from, e.id LIMIT 1) lb ON true
WHERE p.id = $1 AND (pm.joined_to IS NULL OR pm.joined_to <= $2)
ORDER BY m.name_latin, pm.municipality_id;

-- name: certificates_expiring
-- Certificates the evidence confirms in force on $1 whose validity ends by $2 (as comparisons take it: the
-- earliest possible last day), with the next audit due and the body of the last audit ({id, name}, as the profile
-- gives it); filters $3 country, $4 model; spans of audience not $5.
SELECT x.municipality_id, m.name_local, m.name_latin, m.country_code AS country, x.model_code AS model,
       sp.status, sp.basis, sp.edition, sp.valid_until, sp.valid_until_day - $1::date AS days_left,
       sp.last_audit, sp.next_due, sp.overdue,
       (SELECT jsonb_build_object('id', b.id, 'name', b.name) FROM event e JOIN body b ON b.id = e.body_id
         WHERE e.adoption_id = x.id
           AND e.type IN ('certification', 'recertification', 'surveillance', 'edition_transition',
                          'certification_audit')
           AND e.date_to <= $1 ORDER BY e.date_to DESC LIMIT 1) AS body
FROM adoption x
JOIN adoption_status_span sp ON sp.adoption_id = x.id AND sp.audience <> $5 AND sp.valid_from <= $1 AND $1 < sp.valid_to
JOIN model mo ON mo.code = x.model_code AND mo.lifecycle = 'certification'
JOIN municipality m ON m.id = x.municipality_id
WHERE ($4::text IS NULL OR x.model_code = $4)
  AND sp.status = 'certified' AND sp.basis <> 'unknown' AND sp.valid_until_day <= $2
  AND ($3::text IS NULL OR m.country_code = $3)
ORDER BY sp.valid_until_day, x.municipality_id, x.model_code;

-- name: municipality_basics
SELECT id, country_code, kind, population, area_km2, degurba FROM municipality WHERE id = $1;

-- name: programme_exists
SELECT EXISTS (SELECT 1 FROM programme WHERE id = $1);

-- name: data_version
-- The counter every change to facts, rosters or rules increments (sql/functions/30_data_version.sql).
SELECT version FROM data_version WHERE id = 1;

-- name: plan_per_call
-- Plan each statement of this transaction for its parameters (registry/db.py, planned_per_call).
SET LOCAL plan_cache_mode = force_custom_plan;
