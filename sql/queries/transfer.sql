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
       'note', b.note)::text AS line
FROM body b WHERE $1::boolean IS NOT NULL ORDER BY b.id;

-- name: export_programmes
SELECT jsonb_build_object('record', 'programme', 'programme', p.id, 'programme_name', p.name,
       'owner', p.owner_body_id, 'model', p.model_code, 'country', p.country_code,
       'started', partial_date(p.started_from, p.started_to, p.started_precision), 'note', p.note,
       'source', p.source_id, 'quote', p.quote)::text AS line
FROM programme p WHERE $1::boolean IS NOT NULL ORDER BY p.id;

-- name: export_municipalities
-- Municipalities added by curators (roster units come with the roster).
SELECT jsonb_build_object('record', 'municipality', 'municipality', m.id, 'country', m.country_code,
       'kind', m.kind, 'name_local', m.name_local, 'name_latin', m.name_latin,
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
       'scope', nullif(a.scope, ''), 'type', e.type, 'date', partial_date(e.date_from, e.date_to, e.date_precision),
       'edition', e.edition_code, 'body', e.body_id, 'certificate_number', e.certificate_number,
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
       'date', partial_date(aw.date_from, aw.date_to, aw.date_precision), 'body', aw.body_id,
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
