-- name: municipality_names_of_country
-- Every name (local, Latin, variants) of a country's municipalities, for import rows that name a place.
SELECT m.id, n.name
FROM municipality m, unnest(array_append(array_append(m.name_variants, m.name_local), m.name_latin)) AS n(name)
WHERE m.country_code = $1;

-- name: export_sources
-- Sources in the import format (every export query takes $1 = include non-public facts).
SELECT jsonb_build_object('record', 'source', 'source', s.id, 'source_url', s.url, 'source_document', s.document,
       'source_title', s.title, 'source_publisher', s.publisher, 'source_language', s.language,
       'source_published', partial_date(s.published_on, s.published_on, s.published_precision),
       'source_seen', s.seen_on, 'note', s.note)::text AS line
FROM source s WHERE $1::boolean IS NOT NULL ORDER BY s.id;

-- name: export_bodies
SELECT jsonb_build_object('record', 'body', 'body', b.id, 'body_name', b.name, 'short_name', b.short_name,
       'country', b.country_code, 'roles', to_jsonb(b.roles), 'url', b.url, 'source', b.source_id,
       'aliases', nullif(to_jsonb(b.aliases), '[]'), 'former_names', nullif(to_jsonb(b.former_names), '[]'),
       'note', b.note)::text AS line
FROM body b WHERE $1::boolean IS NOT NULL ORDER BY b.id;

-- name: export_models
SELECT jsonb_build_object('record', 'model', 'model', m.code, 'model_name', m.name, 'model_kind', m.kind,
       'lifecycle', m.lifecycle, 'country', m.country_code, 'owner', m.owner_body_id, 'description', m.description,
       'aliases', nullif(to_jsonb(m.aliases), '[]'), 'source', m.source_id, 'cycle_months', m.cycle_months,
       'surveillance_interval_months', m.surveillance_interval_months,
       'surveillance_grace_months', m.surveillance_grace_months, 'label_validity_months', m.label_validity_months,
       'activity_window_months', m.activity_window_months)::text AS line
FROM model m WHERE $1::boolean IS NOT NULL ORDER BY m.code;

-- name: export_editions
SELECT jsonb_build_object('record', 'edition', 'model', e.model_code, 'edition', e.code, 'label', e.label,
       'status', e.status, 'published', partial_date(e.published_on, e.published_on, e.published_precision),
       'withdrawn_on', e.withdrawn_on, 'certificates_valid_until', e.certificates_valid_until,
       'aliases', nullif(to_jsonb(e.aliases), '[]'), 'note', e.note)::text AS line
FROM edition e WHERE $1::boolean IS NOT NULL ORDER BY e.model_code, e.code;

-- name: export_levels
SELECT jsonb_build_object('record', 'level', 'model', l.model_code, 'level', l.code, 'label', l.label,
       'rank', l.rank, 'aliases', nullif(to_jsonb(l.aliases), '[]'), 'note', l.note,
       'source', l.source_id)::text AS line
FROM model_level l WHERE $1::boolean IS NOT NULL ORDER BY l.model_code, l.rank NULLS LAST, l.code;

-- name: export_citations
-- Further sources of facts: the fact's row again with the other source and its quote (an import adds it as a
-- citation of the fact it repeats).
SELECT jsonb_build_object('record', 'event', 'municipality', a.municipality_id, 'model', a.model_code,
       'scope', nullif(a.scope, ''), 'type', e.type,
       'date', coalesce(partial_date(e.date_from, e.date_to, e.date_precision), e.date_month_day),
       'edition', coalesce(e.edition_stated, e.edition_code), 'body', e.body_id,
       'certificate_number', e.certificate_number, 'evidence_level', e.evidence_level, 'source', fs.source_id,
       'quote', fs.quote)::text AS line
FROM fact_source fs JOIN event e ON e.id = fs.event_id JOIN adoption a ON a.id = e.adoption_id
WHERE e.public OR $1
UNION ALL
SELECT jsonb_build_object('record', 'award', 'municipality', aw.municipality_id, 'scheme', aw.scheme_code,
       'year', aw.year, 'category', aw.category, 'level', aw.level,
       'date', partial_date(aw.date_from, aw.date_to, aw.date_precision), 'source', fs.source_id,
       'quote', fs.quote)::text
FROM fact_source fs JOIN award aw ON aw.id = fs.award_id
WHERE aw.public OR $1
UNION ALL
SELECT jsonb_build_object('record', 'programme_member', 'programme', fs.programme_id,
       'municipality', fs.municipality_id, 'source', fs.source_id, 'quote', fs.quote)::text
FROM fact_source fs WHERE fs.programme_id IS NOT NULL AND $1::boolean IS NOT NULL;

-- name: export_programmes
SELECT jsonb_build_object('record', 'programme', 'programme', p.id, 'programme_name', p.name,
       'owner', p.owner_body_id, 'model', p.model_code, 'country', p.country_code,
       'started', partial_date(p.started_from, p.started_to, p.started_precision), 'note', p.note,
       'source', p.source_id, 'quote', p.quote)::text AS line
FROM programme p WHERE $1::boolean IS NOT NULL ORDER BY p.id;

-- name: export_municipalities
-- Municipalities added by curators (roster units come with the roster).
SELECT jsonb_build_object('record', 'municipality', 'municipality', m.id, 'country', m.country_code,
       'kind', m.kind, 'tier', nullif(m.tier, 'municipality'), 'parent', m.parent_id, 'name_local', m.name_local, 'name_latin', m.name_latin,
       'name_variants', to_jsonb(m.name_variants), 'national_code', m.national_code, 'region', m.region_code,
       'population', m.population, 'population_year', m.population_year, 'area_km2', m.area_km2::float8,
       'identifiers', (SELECT coalesce(jsonb_agg(i.scheme || ':' || i.value ORDER BY i.scheme), '[]')
                         FROM municipality_identifier i WHERE i.municipality_id = m.id),
       'note', m.note)::text AS line
FROM municipality m WHERE m.curated AND $1::boolean IS NOT NULL ORDER BY m.id;

-- name: export_adoptions
SELECT jsonb_build_object('record', 'adoption', 'municipality', a.municipality_id, 'model', a.model_code,
       'scope', nullif(a.scope, ''), 'note', a.note)::text AS line
FROM adoption a WHERE $1::boolean IS NOT NULL ORDER BY a.municipality_id, a.model_code, a.scope;

-- name: export_events
-- Events in an order an import can replay (certifications before their surveillance audits).
SELECT jsonb_build_object('record', 'event', 'municipality', a.municipality_id, 'model', a.model_code,
       'scope', nullif(a.scope, ''), 'type', e.type,
       'date', coalesce(partial_date(e.date_from, e.date_to, e.date_precision), e.date_month_day),
       'edition', coalesce(e.edition_stated, e.edition_code), 'level', e.level_code, 'body', e.body_id,
       'certificate_number', e.certificate_number,
       'valid_until', partial_date(e.valid_until, e.valid_until_to, e.valid_until_precision),
       'date_kind', nullif(e.date_kind, 'event'), 'major_nonconformities', e.major_nonconformities,
       'minor_nonconformities', e.minor_nonconformities, 'evidence_level', e.evidence_level,
       'score', e.score::float8, 'public', e.public, 'note', e.note, 'source', e.source_id, 'quote', e.quote,
       'unsourced', e.unsourced)::text AS line
FROM event e JOIN adoption a ON a.id = e.adoption_id
WHERE e.public OR $1
ORDER BY a.municipality_id, a.model_code, a.scope, e.date_from NULLS LAST, e.id;

-- name: export_awards
SELECT jsonb_build_object('record', 'award', 'municipality', aw.municipality_id, 'scheme', aw.scheme_code,
       'year', aw.year, 'edition', aw.edition, 'category', aw.category, 'level', aw.level,
       'scheme_level', aw.level_code, 'date', partial_date(aw.date_from, aw.date_to, aw.date_precision), 'body', aw.body_id,
       'public', aw.public, 'note', aw.note, 'source', aw.source_id, 'quote', aw.quote,
       'unsourced', aw.unsourced)::text AS line
FROM award aw
WHERE aw.public OR $1
ORDER BY aw.municipality_id, aw.year, aw.id;

-- name: export_members
SELECT jsonb_build_object('record', 'programme_member', 'programme', pm.programme_id,
       'municipality', pm.municipality_id, 'joined', partial_date(pm.joined_from, pm.joined_to, pm.joined_precision),
       'source', pm.source_id, 'quote', pm.quote, 'unsourced', pm.source_id IS NULL)::text AS line
FROM programme_member pm WHERE $1::boolean IS NOT NULL ORDER BY pm.programme_id, pm.municipality_id;

-- name: holders_of_country
-- A country's units with every name they are known by and what tells them apart, for rows that name one.
SELECT m.id, m.name_local, m.name_latin, m.name_variants, m.kind, m.tier, m.region_code, m.parent_id,
       m.population, r.name_latin AS region_name, pr.name_latin AS parent_region_name, p.name_latin AS parent_name,
       m.roster_source_id IS NOT NULL AS rostered
FROM municipality m
LEFT JOIN region r ON r.code = m.region_code
LEFT JOIN region pr ON pr.code = r.parent_code
LEFT JOIN municipality p ON p.id = m.parent_id
WHERE m.country_code = $1 AND NOT m.synthetic;

-- name: import_catalogue
-- Every model with its match keys, editions and levels, to resolve what rows write.
SELECT mo.code, mo.kind, mo.lifecycle, mo.country_code, mo.match_keys,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('code', ed.code, 'label', ed.label, 'aliases', to_jsonb(ed.aliases))), '[]')
          FROM edition ed WHERE ed.model_code = mo.code) AS editions,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('code', lv.code, 'label', lv.label, 'aliases', to_jsonb(lv.aliases))), '[]')
          FROM model_level lv WHERE lv.model_code = mo.code) AS levels
FROM model mo ORDER BY mo.code;

-- name: bodies_for_matching
SELECT id, name, short_name, aliases, former_names FROM body ORDER BY id;

-- name: insert_lau_unit
-- A unit of the Eurostat LAU table a row names, added as `make seed-europe` would add it (same id, LAU code).
INSERT INTO municipality (id, country_code, national_code, kind, region_code, counted, name_local, name_latin,
                          name_variants, population, area_km2, degurba, roster_source_id, search_text)
VALUES ($1, $2, $3, $4, $5, true, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (id) DO NOTHING
RETURNING id;

-- name: insert_lau_identifier
INSERT INTO municipality_identifier (scheme, value, municipality_id) VALUES ('lau', $1, $2)
ON CONFLICT (scheme, value) DO NOTHING;

-- name: region_exists_or_add
-- A NUTS-3 region of a LAU unit (named by its code, as the Europe load names them).
INSERT INTO region (code, country_code, kind, name_local, name_latin) VALUES ($1, $2, 'nuts3_2016', $1, $1)
ON CONFLICT (code) DO NOTHING;

-- name: tier_has_roster
-- Whether a roster lists units of this tier in this country (then rows must name one of them).
SELECT EXISTS (SELECT 1 FROM municipality WHERE country_code = $1 AND tier = $2 AND roster_source_id IS NOT NULL);
