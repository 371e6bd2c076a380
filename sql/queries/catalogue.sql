-- name: list_models
-- The model catalogue with edition and level counts ($2: only models of this country and international ones).
SELECT mo.code, mo.name, mo.kind, mo.lifecycle, mo.owner_body_id AS owner, mo.description,
       mo.country_code AS country, mo.aliases,
       (SELECT count(*) FROM edition ed WHERE ed.model_code = mo.code) AS edition_count,
       (SELECT count(*) FROM model_level lv WHERE lv.model_code = mo.code) AS level_count,
       (SELECT count(*) FROM adoption a WHERE a.model_code = mo.code) AS adoption_count
FROM model mo
WHERE ($1::text IS NULL OR mo.kind = $1)
  AND ($2::text IS NULL OR mo.country_code IS NULL OR mo.country_code = $2)
ORDER BY mo.code;

-- name: get_model
-- One model with its editions and lifecycle rules.
SELECT mo.code, mo.name, mo.kind, mo.lifecycle, mo.description, mo.source_note, mo.country_code AS country,
       mo.aliases, mo.source_id, mo.version,
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
                   'certificates_valid_until', ed.certificates_valid_until, 'note', ed.note,
                   'aliases', to_jsonb(ed.aliases), 'version', ed.version)
                   ORDER BY ed.published_on NULLS LAST, ed.code), '[]')
          FROM edition ed WHERE ed.model_code = mo.code) AS editions,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'code', lv.code, 'label', lv.label, 'rank', lv.rank, 'aliases', to_jsonb(lv.aliases),
                   'note', lv.note, 'source_id', lv.source_id, 'version', lv.version)
                   ORDER BY lv.rank NULLS LAST, lv.code), '[]')
          FROM model_level lv WHERE lv.model_code = mo.code) AS levels,
       (SELECT count(*) FROM adoption a WHERE a.model_code = mo.code) AS adoption_count
FROM model mo LEFT JOIN body b ON b.id = mo.owner_body_id
WHERE mo.code = $1;

-- name: model_exists
SELECT EXISTS (SELECT 1 FROM model WHERE code = $1);

-- name: model_by_key
-- The model one of whose match keys (code, name, aliases compacted: catalogue/repo.py model_key) is $1.
SELECT code FROM model WHERE $1 = ANY (match_keys) ORDER BY code LIMIT 1;

-- name: list_bodies
-- Bodies with their roles and accreditation links, optionally one role or country.
SELECT b.id, b.name, b.short_name, b.country_code AS country, b.roles, b.url, b.note, b.aliases, b.former_names,
       (SELECT coalesce(jsonb_agg(ba.accreditor_id ORDER BY ba.accreditor_id), '[]')
          FROM body_accreditation ba WHERE ba.accredited_id = b.id) AS accredited_by,
       (SELECT coalesce(jsonb_agg(ba.accredited_id ORDER BY ba.accredited_id), '[]')
          FROM body_accreditation ba WHERE ba.accreditor_id = b.id) AS accredits
FROM body b
WHERE ($1::text IS NULL OR $1 = ANY (b.roles))
  AND ($2::text IS NULL OR b.country_code = $2)
ORDER BY b.id;

-- name: list_programmes
-- The owner as {id, name}, as get_programme gives it.
SELECT p.id, p.name, p.model_code AS model,
       CASE WHEN b.id IS NULL THEN NULL ELSE jsonb_build_object('id', b.id, 'name', b.name) END AS owner,
       p.country_code AS country, partial_date(p.started_from, p.started_to, p.started_precision) AS started,
       (SELECT count(*) FROM programme_member pm WHERE pm.programme_id = p.id) AS member_count
FROM programme p LEFT JOIN body b ON b.id = p.owner_body_id
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
-- One source and the facts that cite it, as their source or as a further citation (fact_source), with the
-- municipality's names and the fact's date at its precision (non-public facts only with $2 = true).
WITH cited_events AS (
    SELECT e.id FROM event e WHERE e.source_id = $1
    UNION SELECT fs.event_id FROM fact_source fs WHERE fs.source_id = $1 AND fs.event_id IS NOT NULL
), cited_awards AS (
    SELECT aw.id FROM award aw WHERE aw.source_id = $1
    UNION SELECT fs.award_id FROM fact_source fs WHERE fs.source_id = $1 AND fs.award_id IS NOT NULL
), cited_members AS (
    SELECT pm.programme_id, pm.municipality_id FROM programme_member pm WHERE pm.source_id = $1
    UNION SELECT fs.programme_id, fs.municipality_id FROM fact_source fs
          WHERE fs.source_id = $1 AND fs.programme_id IS NOT NULL
)
SELECT s.id, s.version, s.url, s.document, s.title, s.publisher, s.language, s.note, s.seen_on,
       partial_date(s.published_on, s.published_on, s.published_precision) AS published_on,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'kind', 'event', 'id', e.id, 'municipality_id', a.municipality_id, 'country', m.country_code,
                   'name_local', m.name_local, 'name_latin', m.name_latin, 'model', a.model_code, 'type', e.type,
                   'date', partial_date(e.date_from, e.date_to, e.date_precision),
                   'quote', CASE WHEN e.source_id = $1 THEN e.quote
                                 ELSE (SELECT fs.quote FROM fact_source fs WHERE fs.event_id = e.id AND fs.source_id = $1) END)
                   ORDER BY a.municipality_id, e.date_from NULLS LAST, e.id), '[]')
          FROM cited_events c JOIN event e ON e.id = c.id JOIN adoption a ON a.id = e.adoption_id
          JOIN municipality m ON m.id = a.municipality_id
         WHERE e.public OR $2) AS events,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'kind', 'award', 'id', aw.id, 'municipality_id', aw.municipality_id, 'country', m.country_code,
                   'name_local', m.name_local, 'name_latin', m.name_latin, 'scheme', aw.scheme_code,
                   'year', aw.year, 'level', aw.level, 'category', aw.category,
                   'date', partial_date(aw.date_from, aw.date_to, aw.date_precision),
                   'quote', CASE WHEN aw.source_id = $1 THEN aw.quote
                                 ELSE (SELECT fs.quote FROM fact_source fs WHERE fs.award_id = aw.id AND fs.source_id = $1) END)
                   ORDER BY aw.municipality_id, aw.year, aw.id), '[]')
          FROM cited_awards c JOIN award aw ON aw.id = c.id JOIN municipality m ON m.id = aw.municipality_id
         WHERE aw.public OR $2) AS awards,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'kind', 'programme_member', 'programme_id', pm.programme_id, 'model', p.model_code,
                   'municipality_id', pm.municipality_id, 'country', m.country_code, 'name_local', m.name_local,
                   'name_latin', m.name_latin,
                   'date', partial_date(pm.joined_from, pm.joined_to, pm.joined_precision),
                   'quote', CASE WHEN pm.source_id = $1 THEN pm.quote
                                 ELSE (SELECT fs.quote FROM fact_source fs WHERE fs.programme_id = pm.programme_id
                                         AND fs.municipality_id = pm.municipality_id AND fs.source_id = $1) END)
                   ORDER BY pm.programme_id, pm.municipality_id), '[]')
          FROM cited_members c
          JOIN programme_member pm ON pm.programme_id = c.programme_id AND pm.municipality_id = c.municipality_id
          JOIN programme p ON p.id = pm.programme_id JOIN municipality m ON m.id = pm.municipality_id)
           AS programme_members,
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

-- ---------------------------------------------------------------- catalogue writes (registry/catalogue/writes.py)

-- name: model_key_clash
-- A model other than $2 that one of the match keys $1 already finds.
SELECT code FROM model WHERE code <> $2 AND match_keys && $1::text[] ORDER BY code LIMIT 1;

-- name: lock_model
SELECT to_jsonb(m) - 'match_keys' AS row, m.version FROM model m WHERE m.code = $1 FOR UPDATE;

-- name: insert_model
INSERT INTO model (code, name, kind, lifecycle, owner_body_id, description, cycle_months,
                   surveillance_interval_months, surveillance_grace_months, label_validity_months,
                   activity_window_months, source_note, country_code, aliases, match_keys, source_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
ON CONFLICT (code) DO NOTHING
RETURNING true;

-- name: update_model
UPDATE model SET name = $2, kind = $3, lifecycle = $4, owner_body_id = $5, description = $6, cycle_months = $7,
       surveillance_interval_months = $8, surveillance_grace_months = $9, label_validity_months = $10,
       activity_window_months = $11, source_note = $12, country_code = $13, aliases = $14, match_keys = $15,
       source_id = $16, version = version + 1
WHERE code = $1
RETURNING version;

-- name: adoptions_of_model
SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM adoption WHERE model_code = $1;

-- name: delete_model_parts
-- A model's editions and levels go with it (facts naming them keep it from being deleted).
WITH levels AS (DELETE FROM model_level WHERE model_code = $1)
DELETE FROM edition WHERE model_code = $1;

-- name: delete_model
DELETE FROM model WHERE code = $1;

-- name: insert_edition
INSERT INTO edition (model_code, code, label, status, published_on, published_precision, withdrawn_on,
                     certificates_valid_until, note, aliases)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (model_code, code) DO NOTHING
RETURNING true;

-- name: edition_row
SELECT to_jsonb(e) FROM edition e WHERE e.model_code = $1 AND e.code = $2;

-- name: lock_edition
SELECT to_jsonb(e) AS row, e.version FROM edition e WHERE e.model_code = $1 AND e.code = $2 FOR UPDATE;

-- name: update_edition
UPDATE edition SET label = $3, status = $4, published_on = $5, published_precision = $6, withdrawn_on = $7,
       certificates_valid_until = $8, note = $9, aliases = $10, version = version + 1
WHERE model_code = $1 AND code = $2
RETURNING version;

-- name: delete_edition
DELETE FROM edition WHERE model_code = $1 AND code = $2;

-- name: insert_level
INSERT INTO model_level (model_code, code, label, rank, aliases, note, source_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (model_code, code) DO NOTHING
RETURNING true;

-- name: level_row
SELECT to_jsonb(l) FROM model_level l WHERE l.model_code = $1 AND l.code = $2;

-- name: lock_level
SELECT to_jsonb(l) AS row, l.version FROM model_level l WHERE l.model_code = $1 AND l.code = $2 FOR UPDATE;

-- name: update_level
UPDATE model_level SET label = $3, rank = $4, aliases = $5, note = $6, source_id = $7, version = version + 1
WHERE model_code = $1 AND code = $2
RETURNING version;

-- name: delete_level
DELETE FROM model_level WHERE model_code = $1 AND code = $2;
