-- name: resolve_many
-- Resolve (scheme, value) pairs to municipality ids, in input order; NULL where nothing matches.
SELECT t.ord, t.scheme, t.value,
       CASE WHEN t.scheme = 'id' THEN (SELECT m.id FROM municipality m WHERE m.id = lower(t.value))
            ELSE (SELECT i.municipality_id FROM municipality_identifier i
                   WHERE i.scheme = t.scheme AND i.value = upper(t.value)) END AS municipality_id
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(scheme, value, ord)
ORDER BY t.ord;

-- name: compare_municipalities
-- Side by side on $2: per model status, since when, edition, audits, first dated event and labels; awards
-- and programme memberships. $1 = municipality ids; one row per known id, in the order asked (unknown ids are
-- left out). Plain columns and arrays of rows of named types (compare_model and the others: decoded faster
-- than anonymous rows), in binary: registry/analytics/service.py writes them as ComparedMunicipality items (partial dates,
-- years held, the models' labels in one list), labelled in the caller's language in the same pass. Building
-- the JSON here cost PostgreSQL ~0.3 ms more per comparison of ten, and the API decoded it only to rebuild
-- every object with its labels. The span in force also says (its dated-event summary) when the adoption's events are
-- all dated by $2, and then its first dated event, and whether it has labels at all: the events are scanned
-- only where those do not answer. tests/test_analytics.py checks the items equal
-- compare_municipalities_reference (tests/sql/queries.sql).
SELECT c.id, c.name_local, c.name_latin, c.country_code, c.kind, c.population, c.population_year,
       c.area_km2::float8 AS area_km2, c.degurba,
       ARRAY(SELECT ROW(a.model_code, mo.name, st.status, st.since, st.since_precision, st.edition_code,
                        st.edition_inferred, st.valid_until, st.last_audit, st.next_due, st.overdue,
                        CASE WHEN $2 >= sp.dated_until THEN sp.first_dated
                             ELSE (SELECT min(e.date_from) FROM event e
                                    WHERE e.adoption_id = a.id AND e.date_from IS NOT NULL AND e.date_to <= $2) END,
                        CASE WHEN sp.labels_dated = 0 THEN NULL
                             ELSE ARRAY(SELECT ROW(a.model_code, e.date_from, e.date_to, e.date_precision, e.body_id,
                                                   e.source_id, e.id)::compare_label
                                          FROM event e
                                         WHERE e.adoption_id = a.id AND e.type = 'label_granted' AND e.date_to <= $2)
                        END)::compare_model
               FROM adoption a
               -- adoption_state_on() written out, to read the span's summary with its state
               LEFT JOIN LATERAL (SELECT s.state, s.dated_until, s.first_dated, s.labels_dated
                                    FROM adoption_status_span s
                                   WHERE s.adoption_id = a.id AND s.valid_from <= $2 AND $2 < s.valid_to
                                   ORDER BY s.valid_from DESC LIMIT 1) sp ON true
               LEFT JOIN LATERAL (SELECT adoption_state_live(a.id, $2) AS state
                                   WHERE sp.state IS NULL OFFSET 0) live ON true
               CROSS JOIN LATERAL (SELECT (coalesce(sp.state, live.state)).*) st
               JOIN model mo ON mo.code = a.model_code
              WHERE a.municipality_id = c.id
              ORDER BY a.model_code, a.id) AS models,
       ARRAY(SELECT ROW(aw.scheme_code, aw.year, aw.level, aw.category, aw.source_id)::compare_award
               FROM award aw
              WHERE aw.municipality_id = c.id AND coalesce(aw.date_to, make_date(aw.year, 12, 31)) <= $2
              ORDER BY aw.year, aw.id) AS awards,
       ARRAY(SELECT ROW(p.id, p.name, p.model_code, pm.joined_from, pm.joined_to, pm.joined_precision)::compare_programme
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
-- For each model the target or its peers ($2) adopted: how many peers hold it on $3, when they adopted,
-- and where the target ($1) stands.
WITH peer AS (SELECT unnest($2::text[]) AS id),
ad AS (
    SELECT a.municipality_id, a.model_code, a.municipality_id = $1 AS is_target,
           is_holding(st.status) AS holding, st.status,
           adoption_first_date(a.id, $3) AS first_date
    FROM adoption a CROSS JOIN LATERAL adoption_state_on(a.id, $3) st
    WHERE a.municipality_id = $1 OR a.municipality_id IN (SELECT id FROM peer)
), per AS (  -- one row per municipality and model (several scopes fold into one)
    SELECT municipality_id, model_code, bool_or(is_target) AS is_target, bool_or(holding) AS holding,
           min(first_date) AS first_date, (array_agg(status ORDER BY holding DESC, status))[1] AS status
    FROM ad GROUP BY municipality_id, model_code
)
SELECT p.model_code AS model, mo.name AS model_name,
       (SELECT count(*) FROM peer) AS peers,
       count(*) FILTER (WHERE NOT p.is_target AND p.holding) AS peers_holding,
       count(*) FILTER (WHERE NOT p.is_target AND p.first_date IS NOT NULL) AS peers_adopted,
       min(p.first_date) FILTER (WHERE NOT p.is_target) AS peers_first_adoption,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY p.first_date) FILTER (WHERE NOT p.is_target) AS peers_median_adoption,
       bool_or(p.is_target AND p.holding) AS target_holding,
       max(p.status) FILTER (WHERE p.is_target) AS target_status,
       min(p.first_date) FILTER (WHERE p.is_target) AS target_first_adoption,
       count(*) FILTER (WHERE NOT p.is_target AND p.first_date IS NOT NULL
                        AND p.first_date > (SELECT min(q.first_date) FROM per q
                                             WHERE q.is_target AND q.model_code = p.model_code)) AS peers_adopted_later
FROM per p JOIN model mo ON mo.code = p.model_code
GROUP BY p.model_code, mo.name
ORDER BY p.model_code;

-- name: rankings
-- Transparent ranking on $6 (method in README, "Rankings"). Filters: $1 country, $2 model adopted, $3 kind,
-- $4/$5 population range; $7 window in years; $8..$11 weights; paging $12 limit, $13 offset.
-- Only municipalities with at least one adoption or award are ranked; the rest are counted as unranked.
WITH scope AS (
    SELECT m.id, m.name_local, m.name_latin, m.country_code, m.kind, m.population
    FROM municipality m
    WHERE m.counted
      AND ($1::text IS NULL OR m.country_code = $1)
      AND ($3::text IS NULL OR m.kind = $3)
      AND ($4::bigint IS NULL OR m.population >= $4)
      AND ($5::bigint IS NULL OR m.population <= $5)
      AND ($2::text IS NULL OR m.id IN (SELECT a.municipality_id FROM adoption a WHERE a.model_code = $2))
), held AS (  -- state of every adoption in scope on as_of, from the spans
    SELECT a.municipality_id, a.model_code, mo.lifecycle, sp.state AS st
    FROM scope s
    JOIN adoption a ON a.municipality_id = s.id
    JOIN model mo ON mo.code = a.model_code
    JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.valid_from <= $6 AND $6 < sp.valid_to
), by_state AS (
    SELECT municipality_id,
           count(DISTINCT model_code) FILTER (WHERE is_holding((st).status)) AS breadth,
           coalesce(max(($6::date - (st).since + 1) / 365.25)
                    FILTER (WHERE lifecycle = 'certification' AND (st).status = 'certified'), 0)::float8 AS continuity
    FROM held GROUP BY municipality_id
), by_award AS (
    SELECT aw.municipality_id, count(*) AS n FROM award aw JOIN scope s ON s.id = aw.municipality_id
    WHERE aw.year <= extract(year FROM $6::date) AND aw.year > extract(year FROM $6::date) - $7::int
    GROUP BY aw.municipality_id
), by_event AS (
    SELECT a.municipality_id,
           count(*) FILTER (WHERE e.type = 'label_granted') AS labels,
           count(*) FILTER (WHERE e.type IN ('self_assessment', 'external_feedback')) AS engagement
    FROM event e JOIN adoption a ON a.id = e.adoption_id JOIN scope s ON s.id = a.municipality_id
    WHERE e.type IN ('label_granted', 'self_assessment', 'external_feedback')
      AND e.date_to <= $6 AND e.date_to > ($6::date - make_interval(years => $7::int))::date
    GROUP BY a.municipality_id
), components AS (
    SELECT s.*, coalesce(bs.breadth, 0) AS breadth, coalesce(bs.continuity, 0) AS continuity,
           coalesce(ba.n, 0) + coalesce(be.labels, 0) AS recognition, coalesce(be.engagement, 0) AS engagement
    FROM scope s
    LEFT JOIN by_state bs ON bs.municipality_id = s.id
    LEFT JOIN by_award ba ON ba.municipality_id = s.id
    LEFT JOIN by_event be ON be.municipality_id = s.id
    WHERE bs.municipality_id IS NOT NULL
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
       round(x.engagement_scaled::numeric, 4)::float8 AS engagement_scaled,
       count(*) OVER () AS ranked_total,
       (SELECT count(*) FROM scope) - count(*) OVER () AS unranked_without_records
FROM scored x
ORDER BY rank, x.id
LIMIT $12 OFFSET $13;

-- name: rankings_scope_size
-- How many municipalities the filters select and how many of them have no record (for an empty page).
SELECT count(*) AS in_scope
FROM municipality m
WHERE m.counted
  AND ($1::text IS NULL OR m.country_code = $1)
  AND ($3::text IS NULL OR m.kind = $3)
  AND ($4::bigint IS NULL OR m.population >= $4)
  AND ($5::bigint IS NULL OR m.population <= $5)
  AND ($2::text IS NULL OR m.id IN (SELECT a.municipality_id FROM adoption a WHERE a.model_code = $2));

-- name: adoption_stats_by_year
-- Per year $3..$4 for model $1 in countries $2 (NULL = all): first adoptions that year, cumulative adopters,
-- municipalities holding the model at the end of the year (or on $5 for its own year), the roster
-- denominator and whether every roster involved is complete. Holding comes from the status spans: each
-- holding span counts for the year-end days it covers.
WITH scope AS (
    SELECT m.id, m.country_code FROM municipality m
    WHERE m.counted AND ($2::text[] IS NULL OR m.country_code = ANY ($2::text[]))
), ad AS (
    SELECT a.id, a.municipality_id FROM adoption a JOIN scope s ON s.id = a.municipality_id WHERE a.model_code = $1
), first AS (
    SELECT ad.municipality_id, min(e.date_from) AS first_date
    FROM ad LEFT JOIN event e ON e.adoption_id = ad.id AND e.date_from IS NOT NULL AND e.date_to <= $5
    GROUP BY ad.municipality_id
), years AS (
    SELECT y, least(make_date(y, 12, 31), $5::date) AS day FROM generate_series($3::int, $4::int) AS y
), holding AS (  -- each holding span counts for the year-end days it covers (one pass over the spans)
    SELECT y.y, count(DISTINCT ad.municipality_id) AS holding
    FROM ad
    JOIN adoption_status_span sp ON sp.adoption_id = ad.id AND is_holding((sp.state).status)
    CROSS JOIN LATERAL generate_series(
        greatest($3::int, extract(year FROM greatest(sp.valid_from, '1000-01-01'::date))::int),
        least($4::int, extract(year FROM least(sp.valid_to, '3000-01-01'::date))::int)) AS y(y)
    WHERE least(make_date(y.y, 12, 31), $5::date) >= sp.valid_from
      AND least(make_date(y.y, 12, 31), $5::date) < sp.valid_to
    GROUP BY y.y
), firsts AS (
    SELECT extract(year FROM first_date)::int AS y, count(*) AS n FROM first WHERE first_date IS NOT NULL GROUP BY 1
), coverage AS (
    SELECT count(*) AS denominator,
           bool_and(c.roster_complete) AND count(*) > 0 AS roster_complete,
           array_agg(DISTINCT s.country_code) FILTER (WHERE NOT c.roster_complete) AS incomplete_countries
    FROM scope s JOIN country c ON c.code = s.country_code
)
SELECT yr.y::text AS grp, yr.day AS holding_on,
       coalesce((SELECT f.n FROM firsts f WHERE f.y = yr.y), 0) AS first_adoptions,
       (SELECT coalesce(sum(f.n), 0) FROM firsts f WHERE f.y <= yr.y)::bigint AS cumulative_adopters,
       coalesce(h.holding, 0) AS holding,
       cv.denominator, cv.roster_complete, cv.incomplete_countries,
       (SELECT count(*) FROM first f WHERE f.first_date IS NULL) AS undated_adopters
FROM years yr CROSS JOIN coverage cv LEFT JOIN holding h ON h.y = yr.y
ORDER BY yr.y;

-- name: adoption_stats_by_group
-- Per country, kind or region ($6) for model $1 in countries $2 (NULL = all): the roster denominator,
-- municipalities holding the model on $5, first adoptions between $3 and $4, cumulative adopters by $4.
WITH scope AS (
    SELECT m.id, m.country_code, m.kind, m.region_code,
           CASE $6::text WHEN 'country' THEN m.country_code WHEN 'kind' THEN m.kind
                         ELSE coalesce(m.region_code, m.country_code || '-unassigned') END AS grp
    FROM municipality m
    WHERE m.counted AND ($2::text[] IS NULL OR m.country_code = ANY ($2::text[]))
), per AS (  -- per municipality: first dated event by as_of, and whether a status span holds on as_of
    SELECT a.municipality_id,
           (SELECT min(e.date_from) FROM event e JOIN adoption a2 ON a2.id = e.adoption_id
             WHERE a2.municipality_id = a.municipality_id AND a2.model_code = $1
               AND e.date_from IS NOT NULL AND e.date_to <= $5) AS first_date,
           bool_or(is_holding((sp.state).status)) AS holding
    FROM adoption a
    JOIN scope s ON s.id = a.municipality_id
    JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.valid_from <= $5 AND $5 < sp.valid_to
    WHERE a.model_code = $1
    GROUP BY a.municipality_id
)
SELECT s.grp, count(*) AS denominator,
       count(p.municipality_id) FILTER (WHERE p.holding) AS holding,
       count(p.municipality_id) FILTER (WHERE p.first_date BETWEEN $3 AND $4) AS first_adoptions,
       count(p.municipality_id) FILTER (WHERE p.first_date <= $4) AS cumulative_adopters,
       count(p.municipality_id) FILTER (WHERE p.municipality_id IS NOT NULL AND p.first_date IS NULL) AS undated_adopters,
       bool_and(c.roster_complete) AS roster_complete,
       array_agg(DISTINCT s.country_code) FILTER (WHERE NOT c.roster_complete) AS incomplete_countries
FROM scope s JOIN country c ON c.code = s.country_code
LEFT JOIN per p ON p.municipality_id = s.id
GROUP BY s.grp
HAVING count(p.municipality_id) > 0 OR $7::boolean
ORDER BY s.grp;

-- name: adoption_first_year
-- The first year any municipality in scope adopted model $1 (default start of a by-year series).
SELECT min(extract(year FROM adoption_first_date(a.id, $3)))::int
FROM adoption a JOIN municipality m ON m.id = a.municipality_id
WHERE a.model_code = $1 AND m.counted AND ($2::text[] IS NULL OR m.country_code = ANY ($2::text[]));

-- name: programme_progress
-- The funnel of programme $1 on $2: enrolled -> first self-assessment -> improvement plan -> external
-- feedback -> label, per member the first date of each milestone, in the programme's model.
WITH prog AS (SELECT * FROM programme WHERE id = $1),
members AS (
    SELECT pm.municipality_id, m.name_local, m.name_latin, pm.joined_from, pm.joined_to, pm.joined_precision,
           a.id AS adoption_id
    FROM programme_member pm
    JOIN prog p ON p.id = pm.programme_id
    JOIN municipality m ON m.id = pm.municipality_id
    LEFT JOIN adoption a ON a.municipality_id = pm.municipality_id AND a.model_code = p.model_code AND a.scope = ''
    WHERE pm.joined_to IS NULL OR pm.joined_to <= $2
), milestones AS (
    SELECT mb.*,
           (SELECT min(e.date_from) FROM event e WHERE e.adoption_id = mb.adoption_id AND e.type = 'self_assessment' AND e.date_to <= $2) AS self_assessment,
           (SELECT min(e.date_from) FROM event e WHERE e.adoption_id = mb.adoption_id AND e.type = 'improvement_plan' AND e.date_to <= $2) AS improvement_plan,
           (SELECT min(e.date_from) FROM event e WHERE e.adoption_id = mb.adoption_id AND e.type = 'external_feedback' AND e.date_to <= $2) AS external_feedback,
           (SELECT min(e.date_from) FROM event e WHERE e.adoption_id = mb.adoption_id AND e.type = 'label_granted' AND e.date_to <= $2) AS label
    FROM members mb
), staged AS (
    SELECT ms.*,
           CASE WHEN ms.label IS NOT NULL THEN 'label'
                WHEN ms.external_feedback IS NOT NULL THEN 'external_feedback'
                WHEN ms.improvement_plan IS NOT NULL THEN 'improvement_plan'
                WHEN ms.self_assessment IS NOT NULL THEN 'self_assessment'
                ELSE 'enrolled' END AS stage
    FROM milestones ms
), stages(ord, stage) AS (
    VALUES (1, 'enrolled'), (2, 'self_assessment'), (3, 'improvement_plan'), (4, 'external_feedback'), (5, 'label')
), reached AS (  -- one row per member and milestone reached, with days since joining
    SELECT st.ord, st.stage, s.municipality_id,
           CASE st.stage WHEN 'enrolled' THEN s.joined_from WHEN 'self_assessment' THEN s.self_assessment
                         WHEN 'improvement_plan' THEN s.improvement_plan
                         WHEN 'external_feedback' THEN s.external_feedback ELSE s.label END AS reached_on,
           s.joined_from
    FROM stages st CROSS JOIN staged s
)
SELECT jsonb_build_object(
    'enrolled', (SELECT count(*) FROM staged),
    'funnel', (SELECT jsonb_agg(jsonb_build_object(
                   'stage', st.stage,
                   'reached', (SELECT count(*) FROM reached r WHERE r.stage = st.stage
                                AND (st.stage = 'enrolled' OR r.reached_on IS NOT NULL)),
                   'at_stage', (SELECT coalesce(jsonb_agg(s.municipality_id ORDER BY s.municipality_id), '[]')
                                  FROM staged s WHERE s.stage = st.stage),
                   'median_days_from_joining', (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r.reached_on - r.joined_from)
                                                  FROM reached r WHERE r.stage = st.stage AND st.stage <> 'enrolled'
                                                   AND r.reached_on IS NOT NULL AND r.joined_from IS NOT NULL))
                   ORDER BY st.ord) FROM stages st),
    'members', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'municipality_id', s.municipality_id, 'name_local', s.name_local, 'name_latin', s.name_latin,
                   'joined', partial_date(s.joined_from, s.joined_to, s.joined_precision), 'stage', s.stage,
                   'self_assessment', s.self_assessment, 'improvement_plan', s.improvement_plan,
                   'external_feedback', s.external_feedback, 'label', s.label)
                   ORDER BY s.name_latin, s.municipality_id), '[]') FROM staged s)
) AS progress;

-- name: certificates_expiring
-- Certificates in force on $1 whose validity ends by $2, with the next audit due; filters $3 country, $4 model.
SELECT x.municipality_id, m.name_local, m.name_latin, m.country_code AS country, x.model_code AS model,
       st.status, st.edition_code AS edition, st.valid_until, st.valid_until - $1::date AS days_left,
       st.last_audit, st.next_due, st.overdue,
       (SELECT e.body_id FROM event e WHERE e.adoption_id = x.id AND e.body_id IS NOT NULL
         AND e.type IN ('certification', 'recertification', 'surveillance', 'edition_transition')
         AND e.date_to <= $1 ORDER BY e.date_to DESC LIMIT 1) AS body
FROM adoption x CROSS JOIN LATERAL adoption_state_on(x.id, $1) st
JOIN model mo ON mo.code = x.model_code AND mo.lifecycle = 'certification'
JOIN municipality m ON m.id = x.municipality_id
WHERE ($4::text IS NULL OR x.model_code = $4)
  AND st.status IN ('certified', 'suspended') AND st.valid_until <= $2
  AND ($3::text IS NULL OR m.country_code = $3)
ORDER BY st.valid_until, x.municipality_id, x.model_code;

-- name: municipality_basics
SELECT id, country_code, kind, population, area_km2, degurba FROM municipality WHERE id = $1;

-- name: programme_exists
SELECT EXISTS (SELECT 1 FROM programme WHERE id = $1);

-- name: data_version
-- The counter every change to facts, rosters or rules increments (sql/functions/30_data_version.sql).
SELECT version FROM data_version WHERE id = 1;
