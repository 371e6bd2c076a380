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
    name = EXCLUDED.name, official_name = EXCLUDED.official_name;

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
    name_local = EXCLUDED.name_local, name_latin = EXCLUDED.name_latin, parent_code = EXCLUDED.parent_code;

-- name: upsert_municipality
-- Roster fields only; curated fields and the degree of urbanisation are left alone on refresh.
INSERT INTO municipality (id, country_code, national_code, kind, region_code, parent_id, counted,
                          name_local, name_latin, population, population_year, area_km2,
                          roster_source_id, search_text, name_variants)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT (id) DO UPDATE SET country_code = EXCLUDED.country_code, national_code = EXCLUDED.national_code,
    kind = EXCLUDED.kind, region_code = EXCLUDED.region_code, parent_id = EXCLUDED.parent_id,
    counted = EXCLUDED.counted, name_local = EXCLUDED.name_local, name_latin = EXCLUDED.name_latin,
    population = EXCLUDED.population, population_year = EXCLUDED.population_year,
    area_km2 = EXCLUDED.area_km2, roster_source_id = EXCLUDED.roster_source_id,
    search_text = EXCLUDED.search_text, name_variants = EXCLUDED.name_variants;

-- name: upsert_identifier
INSERT INTO municipality_identifier (scheme, value, municipality_id) VALUES ($1, upper($2), $3)
ON CONFLICT (scheme, value) DO UPDATE SET municipality_id = EXCLUDED.municipality_id;

-- name: upsert_body
INSERT INTO body (id, name, short_name, country_code, roles, url, source_id, note)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, short_name = EXCLUDED.short_name,
    country_code = EXCLUDED.country_code, roles = EXCLUDED.roles, url = EXCLUDED.url,
    source_id = EXCLUDED.source_id, note = EXCLUDED.note;

-- name: upsert_model
INSERT INTO model (code, name, kind, lifecycle, owner_body_id, description, cycle_months,
                   surveillance_interval_months, surveillance_grace_months, label_validity_months,
                   activity_window_months, source_note)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, lifecycle = EXCLUDED.lifecycle,
    owner_body_id = EXCLUDED.owner_body_id, description = EXCLUDED.description,
    cycle_months = EXCLUDED.cycle_months, surveillance_interval_months = EXCLUDED.surveillance_interval_months,
    surveillance_grace_months = EXCLUDED.surveillance_grace_months,
    label_validity_months = EXCLUDED.label_validity_months,
    activity_window_months = EXCLUDED.activity_window_months, source_note = EXCLUDED.source_note
WHERE (model.name, model.kind, model.lifecycle, model.owner_body_id, model.description, model.cycle_months,
       model.surveillance_interval_months, model.surveillance_grace_months, model.label_validity_months,
       model.activity_window_months, model.source_note)
   IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.lifecycle, EXCLUDED.owner_body_id, EXCLUDED.description,
       EXCLUDED.cycle_months, EXCLUDED.surveillance_interval_months, EXCLUDED.surveillance_grace_months,
       EXCLUDED.label_validity_months, EXCLUDED.activity_window_months, EXCLUDED.source_note);

-- name: upsert_edition
INSERT INTO edition (model_code, code, label, status, published_on, published_precision, withdrawn_on,
                     certificates_valid_until, note)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (model_code, code) DO UPDATE SET label = EXCLUDED.label, status = EXCLUDED.status,
    published_on = EXCLUDED.published_on, published_precision = EXCLUDED.published_precision,
    withdrawn_on = EXCLUDED.withdrawn_on, certificates_valid_until = EXCLUDED.certificates_valid_until,
    note = EXCLUDED.note
WHERE (edition.label, edition.status, edition.published_on, edition.published_precision, edition.withdrawn_on,
       edition.certificates_valid_until, edition.note)
   IS DISTINCT FROM (EXCLUDED.label, EXCLUDED.status, EXCLUDED.published_on, EXCLUDED.published_precision,
       EXCLUDED.withdrawn_on, EXCLUDED.certificates_valid_until, EXCLUDED.note);

-- name: upsert_adoption
-- The adoption of a model by a municipality (whole administration unless a scope is given).
INSERT INTO adoption (municipality_id, model_code, scope, note) VALUES ($1, $2, $3, $4)
ON CONFLICT (municipality_id, model_code, scope) DO UPDATE SET note = coalesce(EXCLUDED.note, adoption.note)
RETURNING id;

-- name: upsert_seed_event
-- A seeded event, keyed by seed_key so that loading twice changes nothing.
INSERT INTO event (adoption_id, seed_key, type, date_from, date_to, date_precision, edition_code, model_code,
                   body_id, certificate_number, valid_until, major_nonconformities, minor_nonconformities,
                   evidence_level, note, source_id, quote, unsourced)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, false)
ON CONFLICT (seed_key) DO UPDATE SET adoption_id = EXCLUDED.adoption_id, type = EXCLUDED.type,
    date_from = EXCLUDED.date_from, date_to = EXCLUDED.date_to, date_precision = EXCLUDED.date_precision,
    edition_code = EXCLUDED.edition_code, model_code = EXCLUDED.model_code, body_id = EXCLUDED.body_id,
    certificate_number = EXCLUDED.certificate_number, valid_until = EXCLUDED.valid_until,
    major_nonconformities = EXCLUDED.major_nonconformities,
    minor_nonconformities = EXCLUDED.minor_nonconformities, evidence_level = EXCLUDED.evidence_level,
    note = EXCLUDED.note, source_id = EXCLUDED.source_id, quote = EXCLUDED.quote;

-- name: upsert_seed_award
INSERT INTO award (seed_key, municipality_id, scheme_code, year, edition, category, level, date_from, date_to,
                   date_precision, body_id, note, source_id, quote, unsourced)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, false)
ON CONFLICT (seed_key) DO UPDATE SET municipality_id = EXCLUDED.municipality_id,
    scheme_code = EXCLUDED.scheme_code, year = EXCLUDED.year, edition = EXCLUDED.edition,
    category = EXCLUDED.category, level = EXCLUDED.level, date_from = EXCLUDED.date_from,
    date_to = EXCLUDED.date_to, date_precision = EXCLUDED.date_precision, body_id = EXCLUDED.body_id,
    note = EXCLUDED.note, source_id = EXCLUDED.source_id, quote = EXCLUDED.quote;

-- name: upsert_programme
INSERT INTO programme (id, name, owner_body_id, model_code, country_code, started_from, started_to,
                       started_precision, note, source_id, quote)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, owner_body_id = EXCLUDED.owner_body_id,
    model_code = EXCLUDED.model_code, country_code = EXCLUDED.country_code,
    started_from = EXCLUDED.started_from, started_to = EXCLUDED.started_to,
    started_precision = EXCLUDED.started_precision, note = EXCLUDED.note,
    source_id = EXCLUDED.source_id, quote = EXCLUDED.quote;

-- name: upsert_programme_member
INSERT INTO programme_member (programme_id, municipality_id, joined_from, joined_to, joined_precision,
                              source_id, quote)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (programme_id, municipality_id) DO UPDATE SET joined_from = EXCLUDED.joined_from,
    joined_to = EXCLUDED.joined_to, joined_precision = EXCLUDED.joined_precision,
    source_id = EXCLUDED.source_id, quote = EXCLUDED.quote;

-- name: body_country
SELECT country_code FROM body WHERE id = $1;

-- name: set_country_roster_if_unset
-- A country loaded only from the Europe-wide LAU table: its roster is not a national list of local governments.
UPDATE country SET roster_note = $2 WHERE code = $1 AND NOT roster_complete AND roster_note IS NULL;
