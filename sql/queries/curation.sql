-- name: key_by_hash
-- The active key with this secret hash.
SELECT name, role, countries::text[] AS countries FROM api_key WHERE secret_hash = $1 AND revoked_at IS NULL;

-- name: insert_key
INSERT INTO api_key (name, role, countries, secret_hash, prefix) VALUES ($1, $2, $3, $4, $5)
RETURNING id, created_at;

-- name: list_keys
SELECT name, role, countries::text[] AS countries, prefix, created_at, revoked_at FROM api_key ORDER BY name;

-- name: revoke_key
UPDATE api_key SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING name;

-- name: record_change
-- Append one entry to the audit trail.
INSERT INTO change (key_name, action, entity, entity_id, municipality_id, import_id, before, after)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id;

-- name: bump_municipality
-- Any change to a municipality or a fact about it gives the municipality document a new version.
UPDATE municipality SET version = version + 1 WHERE id = $1 RETURNING version;

-- name: lock_municipality
-- A municipality's stored record, locked for the writing transaction.
SELECT to_jsonb(m) - 'search_text' - 'feature_lp' - 'feature_la' - 'feature_dg' AS row, m.country_code, m.version,
       m.curated
FROM municipality m WHERE m.id = $1
FOR UPDATE;

-- name: municipality_country
SELECT country_code FROM municipality WHERE id = $1;

-- name: municipality_version
SELECT version FROM municipality WHERE id = $1;

-- name: country_roster_complete
SELECT roster_complete FROM country WHERE code = $1;

-- name: insert_curated_municipality
-- A curator's unit: $14 its tier, $15 its parent, $16 whether rates count it (municipalities only).
INSERT INTO municipality (id, country_code, national_code, kind, region_code, counted, name_local, name_latin,
                          name_variants, population, population_year, area_km2, search_text, curated, note, tier,
                          parent_id)
VALUES ($1, $2, $3, $4, $5, $16, $6, $7, $8, $9, $10, $11, $12, true, $13, $14, $15)
ON CONFLICT DO NOTHING
RETURNING true;

-- name: update_municipality
-- Curated fields of any municipality; roster fields only of curated ones (the service decides which).
UPDATE municipality SET name_local = $2, name_latin = $3, name_variants = $4, kind = $5, region_code = $6,
       population = $7, population_year = $8, area_km2 = $9, note = $10, search_text = $11, national_code = $12,
       version = version + 1
WHERE id = $1
RETURNING version;

-- name: municipality_fact_count
SELECT (SELECT count(*) FROM adoption WHERE municipality_id = $1)
     + (SELECT count(*) FROM award WHERE municipality_id = $1)
     + (SELECT count(*) FROM programme_member WHERE municipality_id = $1);

-- name: delete_municipality
DELETE FROM municipality WHERE id = $1 AND curated;

-- name: delete_identifiers_of
DELETE FROM municipality_identifier WHERE municipality_id = $1 AND scheme <> ALL ($2::text[]);

-- name: insert_identifier
INSERT INTO municipality_identifier (scheme, value, municipality_id) VALUES ($1, upper($2), $3);

-- name: identifiers_of
SELECT coalesce(jsonb_object_agg(scheme, value), '{}') FROM municipality_identifier WHERE municipality_id = $1;

-- name: lock_adoption
-- An adoption's stored record (scope null for the whole administration, as every answer gives it), locked for the
-- writing transaction.
SELECT to_jsonb(a) || jsonb_build_object('scope', nullif(a.scope, '')) AS row, a.municipality_id, m.country_code,
       a.version
FROM adoption a JOIN municipality m ON m.id = a.municipality_id WHERE a.id = $1
FOR UPDATE OF a;

-- name: find_adoption
SELECT id FROM adoption WHERE municipality_id = $1 AND model_code = $2 AND scope = $3;

-- name: get_adoption
-- Scope null for the whole administration, as every answer gives it.
SELECT to_jsonb(a) || jsonb_build_object('scope', nullif(a.scope, '')) FROM adoption a WHERE a.id = $1;

-- name: lock_adoption_by_key
-- The adoption of model $2 by municipality $1 (scope $3), locked: its events change one writer at a time.
SELECT id FROM adoption WHERE municipality_id = $1 AND model_code = $2 AND scope = $3 FOR UPDATE;

-- name: insert_adoption_if_absent
-- A new adoption, or no row when it exists (also when a concurrent transaction just created it).
INSERT INTO adoption (municipality_id, model_code, scope, note) VALUES ($1, $2, $3, $4)
ON CONFLICT (municipality_id, model_code, scope) DO NOTHING
RETURNING id;

-- name: update_adoption
UPDATE adoption SET note = $2, version = version + 1 WHERE id = $1 RETURNING version;

-- name: adoption_event_count
SELECT count(*) FROM event WHERE adoption_id = $1;

-- name: delete_adoption
DELETE FROM adoption WHERE id = $1;

-- name: lock_event
-- One event with what the service needs to check and scope it; the event and its adoption locked (the
-- adoption's status spans are rewritten by whoever changes its events).
SELECT e.version, e.adoption_id, a.municipality_id, a.model_code, m.country_code
FROM event e JOIN adoption a ON a.id = e.adoption_id JOIN municipality m ON m.id = a.municipality_id
WHERE e.id = $1
FOR UPDATE OF e, a;

-- name: get_event
-- One event as the API shows it (non-public ones only with $2 = true).
SELECT * FROM event_document WHERE id = $1 AND (public OR $2);

-- name: edition_exists
SELECT EXISTS (SELECT 1 FROM edition WHERE model_code = $1 AND code = $2);

-- name: body_exists
SELECT EXISTS (SELECT 1 FROM body WHERE id = $1);

-- name: source_exists
SELECT EXISTS (SELECT 1 FROM source WHERE id = $1);

-- name: earliest_certification_before
-- Whether the adoption has a certification or recertification that could have happened by $2.
SELECT EXISTS (SELECT 1 FROM event WHERE adoption_id = $1 AND type IN ('certification', 'recertification')
                                     AND date_from <= $2 AND id IS DISTINCT FROM $3);

-- name: same_event
-- An event with the same natural key (for idempotent imports): type, dates, edition, body, certificate.
SELECT id FROM event
WHERE adoption_id = $1 AND type = $2 AND date_from IS NOT DISTINCT FROM $3 AND date_to IS NOT DISTINCT FROM $4
  AND edition_code IS NOT DISTINCT FROM $5 AND body_id IS NOT DISTINCT FROM $6
  AND certificate_number IS NOT DISTINCT FROM $7
LIMIT 1;

-- name: insert_event
INSERT INTO event (adoption_id, type, date_from, date_to, date_precision, edition_code, model_code, body_id,
                   certificate_number, valid_until, major_nonconformities, minor_nonconformities, evidence_level,
                   score, public, note, source_id, quote, unsourced, valid_until_to, valid_until_precision,
                   date_kind, level_code, edition_stated, date_month_day)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
        $24, $25)
RETURNING id;

-- name: update_event
UPDATE event SET type = $2, date_from = $3, date_to = $4, date_precision = $5, edition_code = $6, body_id = $7,
       certificate_number = $8, valid_until = $9, major_nonconformities = $10, minor_nonconformities = $11,
       evidence_level = $12, score = $13, public = $14, note = $15, source_id = $16, quote = $17, unsourced = $18,
       valid_until_to = $19, valid_until_precision = $20, date_kind = $21, level_code = $22, edition_stated = $23,
       date_month_day = $24, version = version + 1
WHERE id = $1
RETURNING version;

-- name: delete_event
DELETE FROM event WHERE id = $1;

-- name: lock_award
SELECT aw.version, aw.municipality_id, m.country_code
FROM award aw JOIN municipality m ON m.id = aw.municipality_id WHERE aw.id = $1
FOR UPDATE OF aw;

-- name: get_award
SELECT aw.id, aw.municipality_id, aw.scheme_code AS scheme, aw.year, aw.edition, aw.category, aw.level,
       aw.level_code AS scheme_level,
       partial_date(aw.date_from, aw.date_to, aw.date_precision) AS date, aw.date_precision, aw.body_id AS body,
       aw.public, aw.note, aw.source_id, aw.quote, aw.unsourced, aw.version,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('source_id', fs.source_id, 'quote', fs.quote) ORDER BY fs.id), '[]')
          FROM fact_source fs WHERE fs.award_id = aw.id) AS sources
FROM award aw WHERE aw.id = $1 AND (aw.public OR $2);

-- name: same_award
-- The awards an imported row may restate: municipality $1, scheme $2 and level $5, of year $3 (any year when the
-- row states none), in category $4 (or with none on either side); the exact matches (same year, same category)
-- first. registry/curation/transfer.py decides which, if any, the row restates.
SELECT id, year IS NOT DISTINCT FROM $3 AND category IS NOT DISTINCT FROM $4 AS exact
FROM award
WHERE municipality_id = $1 AND scheme_code = $2 AND level = $5
  AND (year IS NOT DISTINCT FROM $3 OR $3::int IS NULL)
  AND (category IS NOT DISTINCT FROM $4 OR category IS NULL OR $4::text IS NULL)
ORDER BY 2 DESC, id
LIMIT 2;

-- name: insert_award
INSERT INTO award (municipality_id, scheme_code, year, edition, category, level, date_from, date_to,
                   date_precision, body_id, public, note, source_id, quote, unsourced, level_code)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
RETURNING id;

-- name: update_award
UPDATE award SET scheme_code = $2, year = $3, edition = $4, category = $5, level = $6, date_from = $7,
       date_to = $8, date_precision = $9, body_id = $10, public = $11, note = $12, source_id = $13, quote = $14,
       unsourced = $15, level_code = $16, version = version + 1
WHERE id = $1
RETURNING version;

-- name: delete_award
DELETE FROM award WHERE id = $1;

-- name: model_kind_of
SELECT kind FROM model WHERE code = $1;

-- name: model_lifecycle_of
SELECT lifecycle FROM model WHERE code = $1;

-- name: level_exists
SELECT EXISTS (SELECT 1 FROM model_level WHERE model_code = $1 AND code = $2);

-- name: add_event_citation
-- A further source of an event, and a new version of the event (its document lists its sources).
WITH added AS (INSERT INTO fact_source (event_id, source_id, quote) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING RETURNING event_id)
UPDATE event SET version = version + 1 WHERE id IN (SELECT event_id FROM added);

-- name: add_award_citation
WITH added AS (INSERT INTO fact_source (award_id, source_id, quote) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING RETURNING award_id)
UPDATE award SET version = version + 1 WHERE id IN (SELECT award_id FROM added);

-- name: add_member_citation
INSERT INTO fact_source (programme_id, municipality_id, source_id, quote) VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING RETURNING id;

-- name: lock_source
SELECT to_jsonb(s) AS row, s.version FROM source s WHERE s.id = $1 FOR UPDATE;

-- name: insert_source
INSERT INTO source (id, url, document, title, publisher, language, published_on, published_precision, seen_on, note)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (id) DO NOTHING
RETURNING true;

-- name: update_source
UPDATE source SET url = $2, document = $3, title = $4, publisher = $5, language = $6, published_on = $7,
       published_precision = $8, seen_on = $9, note = $10, version = version + 1
WHERE id = $1
RETURNING version;

-- name: source_by_url
SELECT id FROM source WHERE url = $1 ORDER BY id LIMIT 1;

-- name: delete_source
DELETE FROM source WHERE id = $1;

-- name: lock_body
SELECT to_jsonb(b) AS row, b.version, b.country_code FROM body b WHERE b.id = $1 FOR UPDATE;

-- name: get_body
SELECT b.id, b.name, b.short_name, b.country_code AS country, b.roles, b.url, b.note, b.source_id, b.version,
       b.aliases, b.former_names,
       (SELECT coalesce(jsonb_agg(DISTINCT ba.accreditor_id), '[]')
          FROM body_accreditation ba WHERE ba.accredited_id = b.id) AS accredited_by,
       (SELECT coalesce(jsonb_agg(DISTINCT ba.accredited_id), '[]')
          FROM body_accreditation ba WHERE ba.accreditor_id = b.id) AS accredits,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('accreditor', ba.accreditor_id, 'scheme', ba.scheme,
                   'scope', ba.scope, 'number', ba.number, 'granted_on', ba.granted_on, 'valid_until', ba.valid_until,
                   'source_id', ba.source_id, 'note', ba.note) ORDER BY ba.accreditor_id, ba.scheme), '[]')
          FROM body_accreditation ba WHERE ba.accredited_id = b.id) AS accreditations
FROM body b WHERE b.id = $1;

-- name: insert_body
INSERT INTO body (id, name, short_name, country_code, roles, url, source_id, note, aliases, former_names)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (id) DO NOTHING
RETURNING true;

-- name: update_body
UPDATE body SET name = $2, short_name = $3, country_code = $4, roles = $5, url = $6, source_id = $7, note = $8,
       aliases = $9, former_names = $10, version = version + 1
WHERE id = $1
RETURNING version;

-- name: body_accreditations
SELECT coalesce(jsonb_agg(jsonb_build_object('accreditor', accreditor_id, 'scheme', scheme, 'scope', scope,
           'number', number, 'granted_on', granted_on, 'valid_until', valid_until, 'source_id', source_id,
           'note', note) ORDER BY accreditor_id, scheme), '[]')
FROM body_accreditation WHERE accredited_id = $1;

-- name: clear_body_accreditations
DELETE FROM body_accreditation WHERE accredited_id = $1;

-- name: insert_body_accreditation
INSERT INTO body_accreditation (accredited_id, accreditor_id, scheme, scope, number, granted_on, valid_until,
                                source_id, note)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);

-- name: delete_body
DELETE FROM body WHERE id = $1;

-- name: bodies_by_name
-- Bodies whose name or short name, folded by the caller, matches (id, name) for resolution by name.
SELECT id, name, short_name FROM body ORDER BY id;

-- name: lock_programme
SELECT to_jsonb(p) AS row, p.version, p.country_code FROM programme p WHERE p.id = $1 FOR UPDATE;

-- name: programme_member_countries
-- The countries of a programme's members (a member may be of another country than its programme).
SELECT coalesce(array_agg(DISTINCT m.country_code), '{}')
FROM programme_member pm JOIN municipality m ON m.id = pm.municipality_id WHERE pm.programme_id = $1;

-- name: insert_programme
INSERT INTO programme (id, name, owner_body_id, model_code, country_code, started_from, started_to,
                       started_precision, note, source_id, quote)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (id) DO NOTHING
RETURNING true;

-- name: update_programme
UPDATE programme SET name = $2, owner_body_id = $3, model_code = $4, country_code = $5, started_from = $6,
       started_to = $7, started_precision = $8, note = $9, source_id = $10, quote = $11, version = version + 1
WHERE id = $1
RETURNING version;

-- name: delete_programme
DELETE FROM programme WHERE id = $1;

-- name: member_row
SELECT to_jsonb(pm) AS row FROM programme_member pm WHERE pm.programme_id = $1 AND pm.municipality_id = $2;

-- name: upsert_member
INSERT INTO programme_member (programme_id, municipality_id, joined_from, joined_to, joined_precision, source_id, quote)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (programme_id, municipality_id) DO UPDATE SET joined_from = EXCLUDED.joined_from,
    joined_to = EXCLUDED.joined_to, joined_precision = EXCLUDED.joined_precision, source_id = EXCLUDED.source_id,
    quote = EXCLUDED.quote;

-- name: delete_member
DELETE FROM programme_member WHERE programme_id = $1 AND municipality_id = $2;

-- name: list_changes
-- The change feed after change id $1 (and not before $2), oldest first.
SELECT c.id, c.at, c.key_name, c.action, c.entity, c.entity_id, c.municipality_id, c.import_id, c.before, c.after
FROM change c
WHERE c.id > $1 AND ($2::timestamptz IS NULL OR c.at >= $2) AND ($3::text IS NULL OR c.municipality_id = $3)
ORDER BY c.id
LIMIT $4;


-- name: key_by_name
SELECT name, role, countries::text[] AS countries FROM api_key WHERE name = $1 AND revoked_at IS NULL;

-- ---------------------------------------------------------------- bulk import of events (registry/curation/bulk.py)

-- name: import_municipality_countries
SELECT id, country_code FROM municipality WHERE id = ANY ($1::text[]);

-- name: import_models
SELECT code FROM model;

-- name: import_editions
SELECT model_code, code FROM edition;

-- name: import_sources_present
SELECT id FROM source WHERE id = ANY ($1::text[]);

-- name: import_find_adoptions
-- Adoptions by (municipality, model, scope), in input order; NULL id where there is none yet.
SELECT t.ord, a.id
FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(municipality_id, model_code, scope, ord)
LEFT JOIN adoption a ON a.municipality_id = t.municipality_id AND a.model_code = t.model_code AND a.scope = t.scope
ORDER BY t.ord;

-- name: import_events_of
-- The natural keys of the events of some adoptions, to match imported rows with what is stored.
SELECT id, adoption_id, type, date_from, date_to, date_month_day, edition_code, body_id, certificate_number
FROM event WHERE adoption_id = ANY ($1::bigint[]) ORDER BY id;

-- name: import_lock_adoptions
-- Lock the adoptions an import writes events of, in id order (as every writer locks them), before reading
-- their events: their status spans are rewritten by one transaction at a time.
SELECT id FROM adoption WHERE id = ANY ($1::bigint[]) ORDER BY id FOR UPDATE;

-- name: import_insert_adoptions
-- New adoptions; one a concurrent writer created meanwhile is left out (the caller looks it up).
INSERT INTO adoption (municipality_id, model_code, scope)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
ON CONFLICT (municipality_id, model_code, scope) DO NOTHING
RETURNING id, municipality_id, model_code, scope;

-- name: import_event_ids
-- Reserve $1 event ids, so rows and ids pair up without relying on the order of RETURNING.
SELECT nextval(pg_get_serial_sequence('event', 'id')) FROM generate_series(1, $1::integer);

-- name: import_insert_events
INSERT INTO event (id, adoption_id, type, date_from, date_to, date_precision, edition_code, model_code, body_id,
                   certificate_number, valid_until, major_nonconformities, minor_nonconformities, evidence_level,
                   score, public, note, source_id, quote, unsourced, valid_until_to, valid_until_precision,
                   date_kind, level_code, edition_stated, date_month_day) OVERRIDING SYSTEM VALUE
SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[], $5::date[], $6::text[], $7::text[],
                     $8::text[], $9::text[], $10::text[], $11::date[], $12::smallint[], $13::smallint[],
                     $14::text[], $15::numeric[], $16::boolean[], $17::text[], $18::text[], $19::text[],
                     $20::boolean[], $21::date[], $22::text[], $23::text[], $24::text[], $25::text[], $26::text[]);

-- name: import_record_event_changes
-- The audit rows of imported events, in id order: the same documents a single write records.
INSERT INTO change (key_name, action, entity, entity_id, municipality_id, import_id, before, after)
SELECT $1, 'create', 'event', d.id::text, d.municipality_id, $2, NULL, to_jsonb(d)
FROM event_document d WHERE d.id = ANY ($3::bigint[]) ORDER BY d.id;

-- name: import_bump_municipalities
-- Locked in id order first, as concurrent imports must not lock the same rows in different orders.
UPDATE municipality SET version = version + 1
WHERE id IN (SELECT id FROM municipality WHERE id = ANY ($1::text[]) ORDER BY id FOR UPDATE);
