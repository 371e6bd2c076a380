-- 0001 core schema: places, models, bodies, sources, adoptions with their events, awards, programmes.
-- Plain PostgreSQL 14+, no extensions. Codes are stable, language-neutral text checked here.

CREATE TABLE source (
    id              text PRIMARY KEY,
    url             text,
    document        text,            -- path of the stored copy under seeds/, when there is one
    title           text NOT NULL,
    publisher       text,
    language        text NOT NULL,   -- BCP 47
    published_on    date,
    published_precision text NOT NULL DEFAULT 'unknown',
    seen_on         date,
    note            text,
    CHECK (url IS NOT NULL OR document IS NOT NULL)
);

CREATE TABLE country (
    code            char(2) PRIMARY KEY,       -- ISO 3166-1 alpha-2
    alpha3          char(3) NOT NULL UNIQUE,
    numeric_code    char(3) NOT NULL,
    name            text NOT NULL,             -- English short name (pycountry)
    official_name   text,
    roster_complete boolean NOT NULL DEFAULT false,
    roster_as_of    date,
    roster_note     text
);

-- the sources a country's roster comes from (several per country)
CREATE TABLE country_roster_source (
    country_code    char(2) NOT NULL REFERENCES country,
    source_id       text NOT NULL REFERENCES source,
    licence         text,
    PRIMARY KEY (country_code, source_id)
);

CREATE TABLE region (
    code            text PRIMARY KEY,          -- ISO 3166-2 where one exists, else a readable fallback
    country_code    char(2) NOT NULL REFERENCES country,
    kind            text NOT NULL,
    name_local      text NOT NULL,
    name_latin      text NOT NULL,
    parent_code     text REFERENCES region
);
CREATE INDEX region_country ON region (country_code);

CREATE TABLE municipality (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z]{2}-[a-z0-9][a-z0-9-]*$'),
    country_code    char(2) NOT NULL REFERENCES country,
    national_code   text,
    kind            text NOT NULL CHECK (kind IN (
                        'city', 'urban_municipality', 'municipality', 'city_municipality',
                        'rayon', 'gmina_urban', 'gmina_urban_rural', 'gmina_rural',
                        'commune', 'other')),
    region_code     text REFERENCES region,
    parent_id       text REFERENCES municipality,   -- e.g. a Belgrade city municipality -> Belgrade
    counted         boolean NOT NULL DEFAULT true,  -- counts as a local government in rates
    name_local      text NOT NULL,
    name_latin      text NOT NULL,
    population      integer CHECK (population >= 0),
    population_year smallint,
    area_km2        numeric(12, 2) CHECK (area_km2 > 0),
    roster_source_id text REFERENCES source,
    search_text     text NOT NULL,                 -- folded names and variants, see registry/text.py
    synthetic       boolean NOT NULL DEFAULT false -- generated data for tests and benchmarks only
);
CREATE INDEX municipality_country ON municipality (country_code, id);
CREATE INDEX municipality_region ON municipality (region_code);

-- crosswalk: every identifier a municipality is known by, each resolvable
CREATE TABLE municipality_identifier (
    scheme          text NOT NULL CHECK (scheme ~ '^[a-z0-9_]+$'),  -- iso3166_2, national, lau, teryt, wikidata, rzs, name
    value           text NOT NULL,
    municipality_id text NOT NULL REFERENCES municipality ON DELETE CASCADE,
    PRIMARY KEY (scheme, value)
);
CREATE INDEX municipality_identifier_municipality ON municipality_identifier (municipality_id);

CREATE TABLE body (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
    name            text NOT NULL,
    short_name      text,
    country_code    char(2) REFERENCES country,
    roles           text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY[
                        'certification_body', 'accreditation_body', 'award_organiser',
                        'ministry', 'national_caf_organiser', 'standards_body',
                        'model_owner', 'network']::text[]),
    url             text,
    source_id       text REFERENCES source,
    note            text
);

CREATE TABLE body_accreditation (
    accreditor_id   text NOT NULL REFERENCES body,
    accredited_id   text NOT NULL REFERENCES body,
    scheme          text NOT NULL DEFAULT 'ISO/IEC 17021-1',
    source_id       text REFERENCES source,
    PRIMARY KEY (accreditor_id, accredited_id, scheme),
    CHECK (accreditor_id <> accredited_id)
);

-- a management model: a standard, a framework, a label, a regional certification or an award scheme,
-- with the lifecycle rules that status derivation reads
CREATE TABLE model (
    code            text PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9-]*$'),
    name            text NOT NULL,
    kind            text NOT NULL CHECK (kind IN (
                        'certifiable_standard', 'guidance_standard', 'self_assessment_framework',
                        'label', 'regional_certification', 'award_scheme')),
    lifecycle       text NOT NULL CHECK (lifecycle IN ('certification', 'assessment', 'award')),
    owner_body_id   text REFERENCES body,
    description     text,
    cycle_months    smallint,   -- certificate validity (ISO/IEC 17021-1: 36)
    surveillance_interval_months smallint,  -- audits at least this often (12)
    surveillance_grace_months smallint,     -- tolerated delay before a certificate counts as lapsed
    label_validity_months smallint,         -- how long a label stays valid (CAF effective user: 24)
    activity_window_months smallint,        -- how long a self-assessment keeps a model 'active'
    source_note     text
);

CREATE TABLE edition (
    model_code      text NOT NULL REFERENCES model,
    code            text NOT NULL,            -- '2015', '2013', 'CAF2020', 'IV'
    label           text NOT NULL,            -- 'ISO 9001:2015'
    status          text NOT NULL CHECK (status IN ('current', 'superseded', 'withdrawn', 'draft')),
    published_on    date,
    published_precision text NOT NULL DEFAULT 'unknown',
    withdrawn_on    date,
    certificates_valid_until date,            -- transition deadline: last day a certificate to it is valid
    note            text,
    PRIMARY KEY (model_code, code)
);

CREATE TABLE adoption (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_id text NOT NULL REFERENCES municipality ON DELETE CASCADE,
    model_code      text NOT NULL REFERENCES model,
    scope           text NOT NULL DEFAULT '',  -- '' = the whole administration
    note            text,
    UNIQUE (municipality_id, model_code, scope)
);
CREATE INDEX adoption_model ON adoption (model_code, municipality_id);

CREATE TABLE event (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    adoption_id     bigint NOT NULL REFERENCES adoption ON DELETE CASCADE,
    seed_key        text UNIQUE,              -- natural key for idempotent seeding
    type            text NOT NULL CHECK (type IN (
                        'decision', 'implementation_start', 'declaration',
                        'stage1_audit', 'stage2_audit', 'certification', 'surveillance',
                        'recertification', 'edition_transition', 'scope_change', 'suspension',
                        'withdrawal', 'expiry', 'self_assessment', 'improvement_plan',
                        'external_feedback', 'label_granted')),
    date_from       date,                     -- earliest possible day; NULL when unknown
    date_to         date,                     -- latest possible day
    date_precision  text NOT NULL CHECK (date_precision IN ('day', 'month', 'year', 'range', 'unknown')),
    edition_code    text,
    model_code      text NOT NULL,            -- copy of the adoption's model, so the edition FK can be checked
    body_id         text REFERENCES body,
    certificate_number text,
    valid_until     date,
    major_nonconformities smallint CHECK (major_nonconformities >= 0),
    minor_nonconformities smallint CHECK (minor_nonconformities >= 0),
    evidence_level  text NOT NULL CHECK (evidence_level IN (
                        'accredited_certificate', 'third_party_certificate', 'scheme_specific_attestation',
                        'third_party_label', 'external_assessment', 'official_programme_record',
                        'self_declared')),
    note            text,
    source_id       text REFERENCES source,
    quote           text,
    unsourced       boolean NOT NULL DEFAULT false,
    FOREIGN KEY (model_code, edition_code) REFERENCES edition (model_code, code),
    CHECK ((date_precision = 'unknown') = (date_from IS NULL)),
    CHECK (date_from IS NULL OR date_to >= date_from),
    CHECK (source_id IS NOT NULL OR unsourced)
);
CREATE INDEX event_adoption ON event (adoption_id, date_to);

CREATE TABLE award (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seed_key        text UNIQUE,
    municipality_id text NOT NULL REFERENCES municipality ON DELETE CASCADE,
    scheme_code     text NOT NULL REFERENCES model,
    year            smallint NOT NULL,
    edition         text,
    category        text,
    level           text NOT NULL CHECK (level IN ('winner', 'laureate', 'distinction', 'nomination', 'medal')),
    date_from       date,
    date_to         date,
    date_precision  text NOT NULL CHECK (date_precision IN ('day', 'month', 'year', 'range', 'unknown')),
    body_id         text REFERENCES body,
    note            text,
    source_id       text REFERENCES source,
    quote           text,
    unsourced       boolean NOT NULL DEFAULT false,
    CHECK (source_id IS NOT NULL OR unsourced)
);
CREATE INDEX award_municipality ON award (municipality_id, year);

CREATE TABLE programme (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
    name            text NOT NULL,
    owner_body_id   text REFERENCES body,
    model_code      text NOT NULL REFERENCES model,
    country_code    char(2) REFERENCES country,
    started_from    date,
    started_to      date,
    started_precision text NOT NULL DEFAULT 'unknown',
    note            text,
    source_id       text REFERENCES source,
    quote           text
);

CREATE TABLE programme_member (
    programme_id    text NOT NULL REFERENCES programme ON DELETE CASCADE,
    municipality_id text NOT NULL REFERENCES municipality ON DELETE CASCADE,
    joined_from     date,
    joined_to       date,
    joined_precision text NOT NULL DEFAULT 'unknown',
    source_id       text REFERENCES source,
    quote           text,
    PRIMARY KEY (programme_id, municipality_id)
);
