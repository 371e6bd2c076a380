-- name: list_models
-- The model catalogue with edition counts.
SELECT mo.code, mo.name, mo.kind, mo.lifecycle, mo.owner_body_id AS owner, mo.description,
       (SELECT count(*) FROM edition ed WHERE ed.model_code = mo.code) AS edition_count,
       (SELECT count(*) FROM adoption a WHERE a.model_code = mo.code) AS adoption_count
FROM model mo
WHERE ($1::text IS NULL OR mo.kind = $1)
ORDER BY mo.code;

-- name: get_model
-- One model with its editions and lifecycle rules.
SELECT mo.code, mo.name, mo.kind, mo.lifecycle, mo.description, mo.source_note,
       CASE WHEN b.id IS NULL THEN NULL ELSE jsonb_build_object('id', b.id, 'name', b.name) END AS owner,
       jsonb_build_object(
           'cycle_months', mo.cycle_months,
           'surveillance_interval_months', mo.surveillance_interval_months,
           'surveillance_grace_months', mo.surveillance_grace_months,
           'label_validity_months', mo.label_validity_months,
           'activity_window_months', mo.activity_window_months) AS rules,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'code', ed.code, 'label', ed.label, 'status', ed.status,
                   'published', partial_date(ed.published_on, ed.published_on, ed.published_precision),
                   'withdrawn_on', ed.withdrawn_on,
                   'certificates_valid_until', ed.certificates_valid_until, 'note', ed.note)
                   ORDER BY ed.published_on NULLS LAST, ed.code), '[]')
          FROM edition ed WHERE ed.model_code = mo.code) AS editions,
       (SELECT count(*) FROM adoption a WHERE a.model_code = mo.code) AS adoption_count
FROM model mo LEFT JOIN body b ON b.id = mo.owner_body_id
WHERE mo.code = $1;

-- name: model_exists
SELECT EXISTS (SELECT 1 FROM model WHERE code = $1);

-- name: list_bodies
-- Bodies with their roles and accreditation links, optionally one role or country.
SELECT b.id, b.name, b.short_name, b.country_code AS country, b.roles, b.url, b.note,
       (SELECT coalesce(jsonb_agg(ba.accreditor_id ORDER BY ba.accreditor_id), '[]')
          FROM body_accreditation ba WHERE ba.accredited_id = b.id) AS accredited_by,
       (SELECT coalesce(jsonb_agg(ba.accredited_id ORDER BY ba.accredited_id), '[]')
          FROM body_accreditation ba WHERE ba.accreditor_id = b.id) AS accredits
FROM body b
WHERE ($1::text IS NULL OR $1 = ANY (b.roles))
  AND ($2::text IS NULL OR b.country_code = $2)
ORDER BY b.id;

-- name: list_programmes
SELECT p.id, p.name, p.model_code AS model, p.owner_body_id AS owner, p.country_code AS country,
       partial_date(p.started_from, p.started_to, p.started_precision) AS started,
       (SELECT count(*) FROM programme_member pm WHERE pm.programme_id = p.id) AS member_count
FROM programme p
ORDER BY p.id;

-- name: get_programme
-- One programme with its members and each member's status in the programme's model on $2 (spans of the audience
-- not hidden, $3).
SELECT p.id, p.version, p.name, p.model_code AS model, p.country_code AS country, p.note, p.source_id, p.quote,
       partial_date(p.started_from, p.started_to, p.started_precision) AS started,
       CASE WHEN b.id IS NULL THEN NULL ELSE jsonb_build_object('id', b.id, 'name', b.name) END AS owner,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'municipality_id', pm.municipality_id, 'name_local', m.name_local,
                   'name_latin', m.name_latin,
                   'joined', partial_date(pm.joined_from, pm.joined_to, pm.joined_precision),
                   'status', sp.status, 'basis', sp.basis, 'status_since', sp.since,
                   'source_id', pm.source_id, 'quote', pm.quote) ORDER BY m.name_latin, m.id), '[]')
          FROM programme_member pm
          JOIN municipality m ON m.id = pm.municipality_id
          LEFT JOIN adoption a ON a.municipality_id = pm.municipality_id AND a.model_code = p.model_code
                               AND a.scope = ''
          LEFT JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.audience <> $3
                                           AND sp.valid_from <= $2 AND $2 < sp.valid_to
         WHERE pm.programme_id = p.id) AS members
FROM programme p LEFT JOIN body b ON b.id = p.owner_body_id
WHERE p.id = $1;

-- name: get_source
-- One source and the facts that cite it (non-public ones only with $2 = true).
SELECT s.id, s.version, s.url, s.document, s.title, s.publisher, s.language, s.note, s.seen_on,
       partial_date(s.published_on, s.published_on, s.published_precision) AS published_on,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'kind', 'event', 'id', e.id, 'municipality_id', a.municipality_id,
                   'model', a.model_code, 'type', e.type,
                   'date', partial_date(e.date_from, e.date_to, e.date_precision), 'quote', e.quote)
                   ORDER BY a.municipality_id, e.date_from NULLS LAST, e.id), '[]')
          FROM event e JOIN adoption a ON a.id = e.adoption_id WHERE e.source_id = s.id AND (e.public OR $2)) AS events,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'kind', 'award', 'id', aw.id, 'municipality_id', aw.municipality_id,
                   'scheme', aw.scheme_code, 'year', aw.year, 'quote', aw.quote)
                   ORDER BY aw.municipality_id, aw.year, aw.id), '[]')
          FROM award aw WHERE aw.source_id = s.id AND (aw.public OR $2)) AS awards,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'kind', 'programme_member', 'programme_id', pm.programme_id,
                   'municipality_id', pm.municipality_id, 'quote', pm.quote)
                   ORDER BY pm.programme_id, pm.municipality_id), '[]')
          FROM programme_member pm WHERE pm.source_id = s.id) AS programme_members,
       (SELECT count(*) FROM municipality m WHERE m.roster_source_id = s.id) AS roster_municipalities
FROM source s
WHERE s.id = $1;

-- name: list_sources
SELECT s.id, s.title, s.publisher, s.language, s.url, s.document,
       partial_date(s.published_on, s.published_on, s.published_precision) AS published_on, s.seen_on
FROM source s
WHERE ($1::text IS NULL OR s.id > $1)
ORDER BY s.id
LIMIT $2;

-- name: model_lifecycle
SELECT lifecycle FROM model WHERE code = $1;
