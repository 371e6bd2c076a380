-- name: list_countries
-- Every country with its municipality count (local governments only, sub-units excluded).
SELECT c.code, c.alpha3, c.name, c.official_name, c.roster_complete, c.roster_as_of,
       coalesce(n.municipality_count, 0) AS municipality_count
FROM country c
LEFT JOIN (SELECT country_code, count(*) AS municipality_count
             FROM municipality WHERE counted GROUP BY country_code) n ON n.country_code = c.code
ORDER BY c.code;

-- name: get_country
-- One country with its roster provenance and regions.
SELECT c.code, c.alpha3, c.name, c.official_name, c.roster_complete, c.roster_as_of, c.roster_note,
       (SELECT count(*) FROM municipality m WHERE m.country_code = c.code AND m.counted) AS municipality_count,
       (SELECT count(*) FROM municipality m
         WHERE m.country_code = c.code AND NOT m.counted AND m.tier = 'municipality') AS sub_unit_count,
       (SELECT coalesce(jsonb_object_agg(t.tier, t.n), '{}') FROM (
            SELECT m.tier, count(*) AS n FROM municipality m
             WHERE m.country_code = c.code AND m.tier <> 'municipality' GROUP BY m.tier) t) AS other_tiers,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'id', s.id, 'title', s.title, 'publisher', s.publisher, 'url', s.url,
                   'document', s.document, 'licence', crs.licence, 'note', s.note) ORDER BY s.id), '[]')
          FROM country_roster_source crs JOIN source s ON s.id = crs.source_id
         WHERE crs.country_code = c.code) AS roster_sources,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'code', r.code, 'kind', r.kind, 'name_local', r.name_local, 'name_latin', r.name_latin)
                   ORDER BY r.code), '[]')
          FROM region r WHERE r.country_code = c.code) AS regions
FROM country c
WHERE c.code = $1;

-- name: country_exists
SELECT EXISTS (SELECT 1 FROM country WHERE code = $1);

-- name: region_exists
SELECT EXISTS (SELECT 1 FROM region WHERE code = $1);

-- name: list_municipalities
-- Filtered, keyset-paged list, one row per unit in the fields of MunicipalitySummary (registry/places labels
-- them) with its adoptions' statuses on $6 (the spans of the audience not skipped, $15), and the last row standing
-- for the next page's first. Order: by id (byte order, municipality_id_c), or by name in language $12's
-- alphabet (sort keys); with a name search ($7) exact name matches come first within that. The page continues
-- after ($13 sort key, $9 match rank, $10 id); $11 = page size + 1. $4 model, $5 status with bases $14.
-- $16 the tier (NULL: every tier); sub-units ($8) are the municipalities rates do not count.
WITH page AS (
SELECT found.*, row_number() OVER (ORDER BY found.sort_key, found.match_rank, found.id COLLATE "C") AS n FROM (
    SELECT m.id, m.country_code, m.kind, m.tier, m.region_code, m.parent_id, m.name_local, m.name_latin,
           m.population, m.population_year, m.area_km2::float8 AS area_km2, m.degurba,
           CASE WHEN $7::text IS NULL THEN 0
                WHEN m.search_text LIKE '%|' || $7 || '|%' ESCAPE '\' THEN 0
                WHEN m.search_text LIKE '%|' || $7 || '%' ESCAPE '\' THEN 1
                ELSE 2 END AS match_rank,
           CASE WHEN $12::text IS NULL THEN '\x'::bytea ELSE coalesce(k.key, '\xffffff'::bytea) END AS sort_key
    FROM municipality m
    LEFT JOIN municipality_sort_key k ON k.municipality_id = m.id AND k.lang = $12
    WHERE ($1::text IS NULL OR m.country_code = $1
                             AND m.id COLLATE "C" >= lower($1) || '-' AND m.id COLLATE "C" < lower($1) || '.')
      AND ($2::text IS NULL OR m.region_code = $2)
      AND ($3::text IS NULL OR m.kind = $3)
      -- probed unit by unit, in list order, until the page is full (a correlated scalar sub-select: the
      -- planner would otherwise hash every matching run of every country first); every adoption has a
      -- status run in force on every day from its first evidence, so this also finds "has an adoption of $4"
      AND ($4::text IS NULL AND $5::text IS NULL
           OR (SELECT true FROM adoption_status_run r
                WHERE r.municipality_id = m.id AND r.valid_from <= $6 AND $6 < r.valid_to AND r.audience <> $15
                  AND ($4::text IS NULL OR r.model_code = $4)
                  AND ($5::text IS NULL OR r.status = $5 AND r.basis = ANY ($14::text[]))
                LIMIT 1))
      AND ($7::text IS NULL OR m.search_text LIKE '%' || $7 || '%' ESCAPE '\')
      AND ($16::text IS NULL OR m.tier = $16)
      AND ($8::boolean OR m.counted OR m.tier <> 'municipality')
) found
WHERE $10::text IS NULL OR (found.sort_key, found.match_rank, found.id COLLATE "C") > ($13::bytea, $9::int, $10::text)
ORDER BY found.sort_key, found.match_rank, found.id COLLATE "C"
LIMIT $11
)
SELECT p.*, coalesce(brief.adoptions, '{}') AS adoptions
FROM page p
LEFT JOIN LATERAL (
    SELECT array_agg(ROW(s.model_code, s.status, s.basis) ORDER BY s.model_code, s.adoption_id) AS adoptions
    FROM adoption_status_span s
    WHERE s.municipality_id = p.id AND s.valid_from <= $6 AND $6 < s.valid_to AND s.audience <> $15
      AND s.reason <> 'no_evidence_yet') brief ON true
ORDER BY p.n;

-- name: list_municipalities_by_status
-- The same rows as list_municipalities, ordered by id and without a name search, for a status filter: the
-- units come from the runs of that status (with bases $12) in force on $6, read in id order from one index,
-- instead of probing every unit of the scope. $1/$2: the id range of the scope (a country's 'fr-' to 'fr.', or
-- everything), $3 the last id of the previous page ('' for the first), $4 model (NULL = any), $5 status, $7
-- region, $8 kind, $9 include sub-units, $10 = page size + 1, $11 the audience skipped, $13 the tier (NULL: all).
WITH hit AS (  -- distinct ids in id order; LIMIT keeps the walk to what the page needs
    SELECT DISTINCT r.municipality_id COLLATE "C" AS id
    FROM adoption_status_run r
    WHERE r.status = $5
      AND r.municipality_id COLLATE "C" >= $1 AND r.municipality_id COLLATE "C" < $2
      AND r.municipality_id COLLATE "C" > $3
      AND ($4::text IS NULL OR r.model_code = $4)
      AND r.valid_from <= $6 AND $6 < r.valid_to AND r.audience <> $11 AND r.basis = ANY ($12::text[])
    ORDER BY 1
), page AS (
    SELECT u.*, row_number() OVER (ORDER BY h.id) AS n
    FROM hit h
    -- one unit per hit, looked up by id (OFFSET 0 keeps the planner from turning this into a merge join
    -- that walks the whole scope's units)
    CROSS JOIN LATERAL (
        SELECT m.id, m.country_code, m.kind, m.tier, m.region_code, m.parent_id, m.name_local, m.name_latin,
               m.population, m.population_year, m.area_km2::float8 AS area_km2, m.degurba, 0 AS match_rank,
               '\x'::bytea AS sort_key
        FROM municipality m
        WHERE m.id = h.id
          AND ($7::text IS NULL OR m.region_code = $7)
          AND ($8::text IS NULL OR m.kind = $8)
          AND ($13::text IS NULL OR m.tier = $13)
          AND ($9::boolean OR m.counted OR m.tier <> 'municipality')
        OFFSET 0) u
    ORDER BY h.id
    LIMIT $10
)
SELECT p.*, coalesce(brief.adoptions, '{}') AS adoptions
FROM page p
LEFT JOIN LATERAL (
    SELECT array_agg(ROW(s.model_code, s.status, s.basis) ORDER BY s.model_code, s.adoption_id) AS adoptions
    FROM adoption_status_span s
    WHERE s.municipality_id = p.id AND s.valid_from <= $6 AND $6 < s.valid_to AND s.audience <> $11
      AND s.reason <> 'no_evidence_yet') brief ON true
ORDER BY p.n;

-- name: resolve_identifier
-- The municipality id behind a crosswalk identifier (values are stored upper-case).
SELECT municipality_id FROM municipality_identifier WHERE scheme = $1 AND value = upper($2);

-- name: get_municipality_profile
-- Everything known about one municipality as one JSON document of plain values, in the fields of Municipality
-- (registry/places/schemas.py, which labels it); statuses on $2 from the spans of the audience not skipped ($4:
-- 'k' for anonymous readers, 'p' for key holders); facts marked non-public only with $3 = true.
SELECT json_build_object(
    'id', m.id, 'version', m.version, 'curated', m.curated, 'note', m.note, 'as_of', $2::date,
    'country', m.country_code, 'national_code', m.national_code, 'kind', m.kind, 'tier', m.tier,
    'region', (SELECT json_build_object('code', r.code, 'kind', r.kind, 'name_local', r.name_local,
                                         'name_latin', r.name_latin)
                 FROM region r WHERE r.code = m.region_code),
    'parent_id', m.parent_id, 'counted', m.counted,
    'sub_units', (SELECT coalesce(json_agg(c.id ORDER BY c.id), '[]'::json) FROM municipality c WHERE c.parent_id = m.id),
    'name_local', m.name_local, 'name_latin', m.name_latin, 'name_variants', to_json(m.name_variants),
    'population', m.population, 'population_year', m.population_year, 'area_km2', m.area_km2::float8,
    'degurba', m.degurba, 'roster_source_id', m.roster_source_id,
    'identifiers', (SELECT coalesce(json_agg(json_build_object('scheme', i.scheme, 'value', i.value)
                                              ORDER BY i.scheme, i.value), '[]'::json)
                      FROM municipality_identifier i WHERE i.municipality_id = m.id),
    'adoptions', (SELECT coalesce(json_agg(json_build_object(
            'id', a.id, 'model', a.model_code, 'model_name', mo.name, 'model_kind', mo.kind,
            'scope', nullif(a.scope, ''), 'note', a.note,
            'status', sp.status, 'basis', sp.basis, 'status_reason', sp.reason, 'status_since', sp.since,
            'valid_until', sp.valid_until, 'edition', sp.edition, 'edition_inferred', sp.edition_inferred,
            'last_audit', sp.last_audit, 'next_due', sp.next_due, 'overdue', sp.overdue,
            'first_adopted', sp.first_dated,
            'evidence', json_build_object(
                'last_event', sp.last_evidence, 'last_date', sp.last_evidence_date,
                'last_type', sp.last_evidence_type, 'last_status', sp.last_evidenced_status,
                'certificate_ended', sp.certificate_ended, 'first_dated', sp.first_dated,
                'undated_events', (SELECT count(*) FROM event u
                                    WHERE u.adoption_id = a.id AND u.date_to IS NULL AND (u.public OR $3))),
            'events', (SELECT coalesce(json_agg(json_build_object(
                    'id', e.id, 'type', e.type,
                    'date', coalesce(partial_date(e.date_from, e.date_to, e.date_precision), e.date_month_day),
                    'date_precision', CASE WHEN e.date_month_day IS NOT NULL THEN 'month_day' ELSE e.date_precision END,
                    'date_kind', e.date_kind, 'edition', e.edition_code, 'edition_stated', e.edition_stated,
                    'level', e.level_code, 'level_name', lv.label,
                    'body', CASE WHEN b.id IS NULL THEN NULL
                                 ELSE json_build_object('id', b.id, 'name', b.name) END,
                    'certificate_number', e.certificate_number,
                    'valid_until', partial_date(e.valid_until, e.valid_until_to, e.valid_until_precision),
                    'major_nonconformities', e.major_nonconformities,
                    'minor_nonconformities', e.minor_nonconformities,
                    'evidence_level', e.evidence_level, 'score', e.score::float8, 'public', e.public,
                    'note', e.note, 'source_id', e.source_id, 'quote', e.quote, 'unsourced', e.unsourced,
                    'sources', (SELECT coalesce(json_agg(json_build_object('source_id', fs.source_id, 'quote', fs.quote)
                                                         ORDER BY fs.id), '[]'::json)
                                  FROM fact_source fs WHERE fs.event_id = e.id))
                    ORDER BY e.date_from NULLS LAST, e.date_to, e.id), '[]'::json)
                FROM event e LEFT JOIN body b ON b.id = e.body_id
                LEFT JOIN model_level lv ON lv.model_code = e.model_code AND lv.code = e.level_code
                WHERE e.adoption_id = a.id AND (e.public OR $3)))
            ORDER BY a.model_code, a.scope), '[]'::json)
        FROM adoption a
        JOIN model mo ON mo.code = a.model_code
        JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.audience <> $4
                                    AND sp.valid_from <= $2 AND $2 < sp.valid_to
        WHERE a.municipality_id = m.id),
    'awards', (SELECT coalesce(json_agg(json_build_object(
            'id', aw.id, 'scheme', aw.scheme_code, 'scheme_name', mo.name, 'year', aw.year,
            'edition', aw.edition, 'category', aw.category, 'level', aw.level, 'scheme_level', aw.level_code,
            'scheme_level_name', lv.label,
            'date', partial_date(aw.date_from, aw.date_to, aw.date_precision),
            'date_precision', aw.date_precision,
            'body', CASE WHEN b.id IS NULL THEN NULL ELSE json_build_object('id', b.id, 'name', b.name) END,
            'public', aw.public, 'note', aw.note, 'source_id', aw.source_id, 'quote', aw.quote,
            'unsourced', aw.unsourced,
            'sources', (SELECT coalesce(json_agg(json_build_object('source_id', fs.source_id, 'quote', fs.quote)
                                                 ORDER BY fs.id), '[]'::json)
                          FROM fact_source fs WHERE fs.award_id = aw.id))
            ORDER BY aw.year NULLS LAST, aw.id), '[]'::json)
        FROM award aw JOIN model mo ON mo.code = aw.scheme_code LEFT JOIN body b ON b.id = aw.body_id
        LEFT JOIN model_level lv ON lv.model_code = aw.scheme_code AND lv.code = aw.level_code
        WHERE aw.municipality_id = m.id AND (aw.public OR $3)),
    'programmes', (SELECT coalesce(json_agg(json_build_object(
            'id', p.id, 'name', p.name, 'model', p.model_code,
            'joined', partial_date(pm.joined_from, pm.joined_to, pm.joined_precision),
            'source_id', pm.source_id, 'quote', pm.quote) ORDER BY p.id), '[]'::json)
        FROM programme_member pm JOIN programme p ON p.id = pm.programme_id
        WHERE pm.municipality_id = m.id),
    'sources', (SELECT coalesce(json_agg(json_build_object(
            'id', s.id, 'title', s.title, 'publisher', s.publisher, 'language', s.language,
            'url', s.url, 'document', s.document,
            'published_on', partial_date(s.published_on, s.published_on, s.published_precision),
            'seen_on', s.seen_on) ORDER BY s.id), '[]'::json)
        FROM source s
        WHERE s.id IN (SELECT e.source_id FROM event e JOIN adoption ad ON ad.id = e.adoption_id
                        WHERE ad.municipality_id = m.id AND (e.public OR $3)
                       UNION SELECT fs.source_id FROM fact_source fs JOIN event e ON e.id = fs.event_id
                        JOIN adoption ad ON ad.id = e.adoption_id WHERE ad.municipality_id = m.id AND (e.public OR $3)
                       UNION SELECT fs.source_id FROM fact_source fs JOIN award aw ON aw.id = fs.award_id
                        WHERE aw.municipality_id = m.id AND (aw.public OR $3)
                       UNION SELECT aw.source_id FROM award aw WHERE aw.municipality_id = m.id AND (aw.public OR $3)
                       UNION SELECT pm.source_id FROM programme_member pm WHERE pm.municipality_id = m.id
                       UNION SELECT m.roster_source_id))
) AS profile
FROM municipality m
WHERE m.id = $1;

-- name: resolve_lau_without_country
-- LAU codes are unique only within a country: find every country's unit with this code.
SELECT municipality_id, value FROM municipality_identifier
WHERE scheme = 'lau' AND value LIKE '__\_' || upper($1) ESCAPE '\'
ORDER BY value
LIMIT 10;

-- name: names_needing_sort_keys
-- The names and keyed names of municipalities $2 (NULL: all) for language $1, to find missing or stale keys.
SELECT m.id, m.country_code, m.name_local, m.name_latin, k.name AS keyed_name
FROM municipality m
LEFT JOIN municipality_sort_key k ON k.municipality_id = m.id AND k.lang = $1
WHERE $2::text[] IS NULL OR m.id = ANY ($2::text[]);


-- name: sort_key_stage
-- A transaction-local staging table for bulk sort-key writes.
CREATE TEMP TABLE IF NOT EXISTS sort_key_stage (LIKE municipality_sort_key) ON COMMIT DROP;

-- name: sort_key_stage_clear
TRUNCATE sort_key_stage;

-- name: sort_key_merge
INSERT INTO municipality_sort_key (municipality_id, lang, name, key)
SELECT municipality_id, lang, name, key FROM sort_key_stage
ON CONFLICT (municipality_id, lang) DO UPDATE SET name = EXCLUDED.name, key = EXCLUDED.key;
