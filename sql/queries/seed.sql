-- name: upsert_source
-- Insert or refresh a source by id.
INSERT INTO source (id, url, document, title, publisher, language, published_on, published_precision, seen_on, note)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, document = EXCLUDED.document, title = EXCLUDED.title,
    publisher = EXCLUDED.publisher, language = EXCLUDED.language, published_on = EXCLUDED.published_on,
    published_precision = EXCLUDED.published_precision, seen_on = EXCLUDED.seen_on, note = EXCLUDED.note;

-- name: upsert_country
INSERT INTO country (code, alpha3, numeric_code, name, official_name)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (code) DO UPDATE SET alpha3 = EXCLUDED.alpha3, numeric_code = EXCLUDED.numeric_code,
    name = EXCLUDED.name, official_name = EXCLUDED.official_name
WHERE (country.alpha3, country.numeric_code, country.name, country.official_name)
   IS DISTINCT FROM (EXCLUDED.alpha3, EXCLUDED.numeric_code, EXCLUDED.name, EXCLUDED.official_name);

-- name: set_country_roster
-- Mark a country's roster as loaded, with its date and caveats.
UPDATE country SET roster_complete = $2, roster_as_of = $3, roster_note = $4 WHERE code = $1;

-- name: link_country_roster_source
INSERT INTO country_roster_source (country_code, source_id, licence) VALUES ($1, $2, $3)
ON CONFLICT (country_code, source_id) DO UPDATE SET licence = EXCLUDED.licence;

-- name: upsert_region
INSERT INTO region (code, country_code, kind, name_local, name_latin, parent_code)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (code) DO UPDATE SET country_code = EXCLUDED.country_code, kind = EXCLUDED.kind,
    name_local = EXCLUDED.name_local, name_latin = EXCLUDED.name_latin, parent_code = EXCLUDED.parent_code
WHERE (region.country_code, region.kind, region.name_local, region.name_latin, region.parent_code)
   IS DISTINCT FROM (EXCLUDED.country_code, EXCLUDED.kind, EXCLUDED.name_local, EXCLUDED.name_latin,
                     EXCLUDED.parent_code);

-- name: insert_roster_municipality
-- A unit of an official roster seen for the first time (roster fields, the roster's name variants, its tier).
INSERT INTO municipality (id, country_code, national_code, kind, region_code, parent_id, counted,
                          name_local, name_latin, population, population_year, area_km2,
                          roster_source_id, search_text, name_variants, tier)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16);

-- name: roster_row
-- A roster unit's roster fields and name variants, locked, to apply a changed roster row.
SELECT country_code, national_code, kind, region_code, parent_id, counted, name_local, name_latin, population,
       population_year, area_km2::float8 AS area_km2, roster_source_id, name_variants, tier
FROM municipality WHERE id = $1
FOR UPDATE;

-- name: update_roster_municipality
-- A changed roster row: its roster fields, and the name variants merged with a curator's (registry/seed.py).
UPDATE municipality SET country_code = $2, national_code = $3, kind = $4, region_code = $5, parent_id = $6,
       counted = $7, name_local = $8, name_latin = $9, population = $10, population_year = $11, area_km2 = $12,
       roster_source_id = $13, search_text = $14, name_variants = $15, tier = $16, version = version + 1
WHERE id = $1;

-- name: upsert_identifier
INSERT INTO municipality_identifier (scheme, value, municipality_id) VALUES ($1, upper($2), $3)
ON CONFLICT (scheme, value) DO UPDATE SET municipality_id = EXCLUDED.municipality_id
WHERE municipality_identifier.municipality_id IS DISTINCT FROM EXCLUDED.municipality_id;

-- name: upsert_model
-- A catalogue model as the seed file gives it ($13 country, $14 aliases, $15 match keys).
INSERT INTO model (code, name, kind, lifecycle, owner_body_id, description, cycle_months,
                   surveillance_interval_months, surveillance_grace_months, label_validity_months,
                   activity_window_months, source_note, country_code, aliases, match_keys)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, lifecycle = EXCLUDED.lifecycle,
    owner_body_id = EXCLUDED.owner_body_id, description = EXCLUDED.description,
    cycle_months = EXCLUDED.cycle_months, surveillance_interval_months = EXCLUDED.surveillance_interval_months,
    surveillance_grace_months = EXCLUDED.surveillance_grace_months,
    label_validity_months = EXCLUDED.label_validity_months,
    activity_window_months = EXCLUDED.activity_window_months, source_note = EXCLUDED.source_note,
    country_code = EXCLUDED.country_code, aliases = EXCLUDED.aliases, match_keys = EXCLUDED.match_keys,
    version = model.version + 1
WHERE (model.name, model.kind, model.lifecycle, model.owner_body_id, model.description, model.cycle_months,
       model.surveillance_interval_months, model.surveillance_grace_months, model.label_validity_months,
       model.activity_window_months, model.source_note, model.country_code, model.aliases, model.match_keys)
   IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.lifecycle, EXCLUDED.owner_body_id,
       EXCLUDED.description, EXCLUDED.cycle_months, EXCLUDED.surveillance_interval_months,
       EXCLUDED.surveillance_grace_months, EXCLUDED.label_validity_months, EXCLUDED.activity_window_months,
       EXCLUDED.source_note, EXCLUDED.country_code, EXCLUDED.aliases, EXCLUDED.match_keys);

-- name: upsert_level
INSERT INTO model_level (model_code, code, label, rank, aliases, note, source_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (model_code, code) DO UPDATE SET label = EXCLUDED.label, rank = EXCLUDED.rank,
    aliases = EXCLUDED.aliases, note = EXCLUDED.note, source_id = EXCLUDED.source_id, version = model_level.version + 1
WHERE (model_level.label, model_level.rank, model_level.aliases, model_level.note, model_level.source_id)
   IS DISTINCT FROM (EXCLUDED.label, EXCLUDED.rank, EXCLUDED.aliases, EXCLUDED.note, EXCLUDED.source_id);

-- name: upsert_edition
INSERT INTO edition (model_code, code, label, status, published_on, published_precision, withdrawn_on,
                     certificates_valid_until, note, aliases)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (model_code, code) DO UPDATE SET label = EXCLUDED.label, status = EXCLUDED.status,
    published_on = EXCLUDED.published_on, published_precision = EXCLUDED.published_precision,
    withdrawn_on = EXCLUDED.withdrawn_on, certificates_valid_until = EXCLUDED.certificates_valid_until,
    note = EXCLUDED.note, aliases = EXCLUDED.aliases, version = edition.version + 1
WHERE (edition.label, edition.status, edition.published_on, edition.published_precision, edition.withdrawn_on,
       edition.certificates_valid_until, edition.note, edition.aliases)
   IS DISTINCT FROM (EXCLUDED.label, EXCLUDED.status, EXCLUDED.published_on, EXCLUDED.published_precision,
       EXCLUDED.withdrawn_on, EXCLUDED.certificates_valid_until, EXCLUDED.note, EXCLUDED.aliases);

-- name: body_country
SELECT country_code FROM body WHERE id = $1;

-- name: set_country_roster_if_unset
-- A country loaded only from the Europe-wide LAU table: its roster is not a national list of local governments.
UPDATE country SET roster_note = $2 WHERE code = $1 AND NOT roster_complete AND roster_note IS NULL;

-- name: seed_lock
-- One loader at a time (two servers starting together): held until the loading transaction ends.
SELECT pg_advisory_xact_lock(7246002);

-- name: seed_digest
SELECT digest FROM seed_state;

-- name: seed_state_save
INSERT INTO seed_state (digest) VALUES ($1)
ON CONFLICT (singleton) DO UPDATE SET digest = EXCLUDED.digest, applied_at = now();

-- name: seed_records
-- What the seed wrote before, by key.
SELECT key, entity, entity_id, digest, version, seeded FROM seed_record;

-- name: seed_record_save
INSERT INTO seed_record (key, entity, entity_id, digest, version, seeded) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (key) DO UPDATE SET entity = EXCLUDED.entity, entity_id = EXCLUDED.entity_id, digest = EXCLUDED.digest,
    version = EXCLUDED.version, seeded = EXCLUDED.seeded;

-- name: seed_records_save
-- Many at once (a roster loaded for the first time).
INSERT INTO seed_record (key, entity, entity_id, digest, version, seeded)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::jsonb[])
ON CONFLICT (key) DO UPDATE SET entity = EXCLUDED.entity, entity_id = EXCLUDED.entity_id, digest = EXCLUDED.digest,
    version = EXCLUDED.version, seeded = EXCLUDED.seeded;

-- name: seed_record_forget
DELETE FROM seed_record WHERE key = $1;

-- name: catalogue_row
-- A model or an edition as stored, to record what a changed catalogue file changes.
SELECT CASE WHEN $1 = 'model' THEN (SELECT to_jsonb(m) - 'version' FROM model m WHERE m.code = $2)
            WHEN $1 = 'level' THEN (SELECT to_jsonb(l) - 'version' FROM model_level l WHERE l.model_code = $2 AND l.code = $3)
            ELSE (SELECT to_jsonb(e) - 'version' FROM edition e WHERE e.model_code = $2 AND e.code = $3) END;

-- name: municipality_exists
SELECT EXISTS (SELECT 1 FROM municipality WHERE id = $1);

-- name: fact_version
-- The version of an event or award the seed's evidence import created.
SELECT CASE WHEN $1 = 'event' THEN (SELECT version FROM event WHERE id = $2)
            WHEN $1 = 'award' THEN (SELECT version FROM award WHERE id = $2) END;

-- name: written_by_other_than
-- Whether any key but $3 (the seed's) ever wrote record $1/$2: a record the seed finds without its ledger
-- entry (written by a loader from before the ledger knew its kind) is the seed's to update only if not.
SELECT EXISTS (SELECT 1 FROM change WHERE entity = $1 AND entity_id = $2 AND key_name <> $3);
