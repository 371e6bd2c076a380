-- 0027 baseline: the registry's tables, types and indexes. Functions, views and triggers are not here: they are in
-- sql/functions/, applied after the migrations on every `migrate` (registry/db.py).
--
-- Numbered 27 because it is the schema the first 27 migrations built (kept for one test in tests/legacy_migrations/):
-- a database made by them is at this version once `python -m registry migrate` has recorded it, and /health's
-- schema_version never goes back. The next migration is 0028. Plain PostgreSQL 14+, no extensions. Codes are
-- stable, language-neutral text checked here. Columns appear in the order the old chain added them, so that a
-- database it built and one built here have the same row types.

-- ---------------------------------------------------------------- sources and places

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
    version         integer NOT NULL DEFAULT 1,
    CHECK (url IS NOT NULL OR document IS NOT NULL)
);

-- Codes are text, not char(2): a char column compared with a text parameter is cast (char to text trims blanks,
-- a function call), and then no index on it serves `country_code = $1`.
CREATE TABLE country (
    code            text PRIMARY KEY,          -- ISO 3166-1 alpha-2
    alpha3          text NOT NULL UNIQUE,
    numeric_code    text,                      -- none for Kosovo (XK/XKX, the user-assigned code the EU uses)
    name            text NOT NULL,             -- English short name (pycountry)
    official_name   text,
    roster_complete boolean NOT NULL DEFAULT false,
    roster_as_of    date,
    roster_note     text,
    CONSTRAINT country_code_length CHECK (length(code) = 2 AND length(alpha3) = 3)
);

-- the sources a country's roster comes from (several per country)
CREATE TABLE country_roster_source (
    country_code    text NOT NULL REFERENCES country,
    source_id       text NOT NULL REFERENCES source,
    licence         text,
    PRIMARY KEY (country_code, source_id)
);

CREATE TABLE region (
    code            text PRIMARY KEY,          -- ISO 3166-2 where one exists, else a readable fallback
    country_code    text NOT NULL REFERENCES country,
    kind            text NOT NULL,
    name_local      text NOT NULL,
    name_latin      text NOT NULL,
    parent_code     text REFERENCES region
);
CREATE INDEX region_country ON region (country_code);

-- Every id starts with its country's code in lower case and a hyphen, so a country's units are a range of ids
-- in byte order ('fr-' to 'fr.'): lists read them in that order ("C", the same on every server) from
-- municipality_id_c. feature_* are the peer search's features: ln(population), ln(area), degree of urbanisation.
-- Autovacuum comes after 1 % of the table changed, not 20 %: an import bumps the version of every unit it
-- touches, and until a vacuum the index-only scans of the peer search read every row from the heap.
CREATE TABLE municipality (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z]{2}-[a-z0-9][a-z0-9-]*$'),
    country_code    text NOT NULL REFERENCES country,
    national_code   text,
    kind            text NOT NULL CHECK (kind IN (
                        'city', 'urban_municipality', 'municipality', 'city_municipality', 'rayon',
                        'gmina_urban', 'gmina_urban_rural', 'gmina_rural', 'commune', 'lau_unit', 'other')),
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
    synthetic       boolean NOT NULL DEFAULT false, -- generated data for tests and benchmarks only
    name_variants   text[] NOT NULL DEFAULT '{}',
    degurba         smallint CHECK (degurba IN (1, 2, 3)),
    version         integer NOT NULL DEFAULT 1,     -- bumped by every write about the unit (its ETag)
    curated         boolean NOT NULL DEFAULT false, -- added by a curator, not a roster
    note            text,
    feature_lp      float8 GENERATED ALWAYS AS (ln(nullif(population, 0)::float8)) STORED,
    feature_la      float8 GENERATED ALWAYS AS (ln(nullif(area_km2, 0)::float8)) STORED,
    feature_dg      float8 GENERATED ALWAYS AS (degurba::float8) STORED,
    CONSTRAINT municipality_id_prefix CHECK (id LIKE lower(country_code) || '-%')
) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);
COMMENT ON COLUMN municipality.degurba IS 'Eurostat degree of urbanisation of the LAU: 1 cities, 2 towns and suburbs, 3 rural areas';
CREATE INDEX municipality_country ON municipality (country_code, id);
CREATE INDEX municipality_region ON municipality (region_code);
CREATE INDEX municipality_parent ON municipality (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX municipality_id_c ON municipality ((id COLLATE "C"));
-- the peer search scores its window of candidates from these two alone
CREATE INDEX municipality_country_lp ON municipality (country_code, feature_lp) INCLUDE (feature_la, feature_dg, id)
    WHERE counted;
CREATE INDEX municipality_lp ON municipality (feature_lp) INCLUDE (feature_la, feature_dg, id) WHERE counted;
-- units lacking a feature, by country (counted within a country) and by id (the first 50 across all countries)
CREATE INDEX municipality_without_lp ON municipality (country_code, id) WHERE counted AND feature_lp IS NULL;
CREATE INDEX municipality_without_la ON municipality (country_code, id) WHERE counted AND feature_la IS NULL;
CREATE INDEX municipality_without_dg ON municipality (country_code, id) WHERE counted AND feature_dg IS NULL;
CREATE INDEX municipality_without_lp_by_id ON municipality (id) WHERE counted AND feature_lp IS NULL;
CREATE INDEX municipality_without_la_by_id ON municipality (id) WHERE counted AND feature_la IS NULL;
CREATE INDEX municipality_without_dg_by_id ON municipality (id) WHERE counted AND feature_dg IS NULL;

-- crosswalk: every identifier a municipality is known by, each resolvable
CREATE TABLE municipality_identifier (
    scheme          text NOT NULL CHECK (scheme ~ '^[a-z0-9_]+$'),  -- iso3166_2, national, lau, teryt, wikidata, rzs, name
    value           text NOT NULL,
    municipality_id text NOT NULL REFERENCES municipality ON DELETE CASCADE,
    PRIMARY KEY (scheme, value)
);
CREATE INDEX municipality_identifier_municipality ON municipality_identifier (municipality_id);

-- Language-aware name order. The embedded PostgreSQL has no ICU, so each name gets a sort key per language,
-- computed in registry/collation.py when names are written.
CREATE TABLE municipality_sort_key (
    municipality_id text NOT NULL REFERENCES municipality ON DELETE CASCADE,
    lang            text NOT NULL,
    name            text NOT NULL,   -- the name the key was computed from
    key             bytea NOT NULL,
    PRIMARY KEY (municipality_id, lang)
);
CREATE INDEX municipality_sort_key_order ON municipality_sort_key (lang, key, municipality_id);

-- what a Europe load copies into before merging (unlogged: it is refilled on every load)
CREATE UNLOGGED TABLE europe_stage (
    id              text NOT NULL,
    country_code    text NOT NULL,
    lau_key         text NOT NULL,
    lau_code        text NOT NULL,
    region_code     text,
    name_local      text NOT NULL,
    name_latin      text NOT NULL,
    name_variants   text[] NOT NULL,
    population      integer,
    area_km2        numeric(12, 2),
    degurba         smallint,
    search_text     text NOT NULL
);

-- ---------------------------------------------------------------- bodies, models, editions

CREATE TABLE body (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
    name            text NOT NULL,
    short_name      text,
    country_code    text REFERENCES country,
    roles           text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY[
                        'certification_body', 'accreditation_body', 'award_organiser',
                        'ministry', 'national_caf_organiser', 'standards_body',
                        'model_owner', 'network']::text[]),
    url             text,
    source_id       text REFERENCES source,
    note            text,
    version         integer NOT NULL DEFAULT 1
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

-- ---------------------------------------------------------------- facts: adoptions, events, awards, programmes

CREATE TABLE adoption (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_id text NOT NULL REFERENCES municipality ON DELETE CASCADE,
    model_code      text NOT NULL REFERENCES model,
    scope           text NOT NULL DEFAULT '',  -- '' = the whole administration
    note            text,
    version         integer NOT NULL DEFAULT 1,
    UNIQUE (municipality_id, model_code, scope)
);
CREATE INDEX adoption_model ON adoption (model_code, municipality_id);

-- A date is a range of days and its precision: date_from the earliest day it can mean, date_to the latest.
CREATE TABLE event (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    adoption_id     bigint NOT NULL REFERENCES adoption ON DELETE CASCADE,
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
    version         integer NOT NULL DEFAULT 1,
    public          boolean NOT NULL DEFAULT true,
    score           numeric(5, 2) CHECK (score BETWEEN 0 AND 100),  -- e.g. a CAF self-assessment score
    FOREIGN KEY (model_code, edition_code) REFERENCES edition (model_code, code),
    CHECK ((date_precision = 'unknown') = (date_from IS NULL)),
    CHECK (date_from IS NULL OR date_to >= date_from),
    CHECK (source_id IS NOT NULL OR unsourced)
);
CREATE INDEX event_adoption ON event (adoption_id, date_to);
CREATE INDEX event_type_date ON event (type, date_to);
CREATE INDEX event_source ON event (source_id);

CREATE TABLE award (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    version         integer NOT NULL DEFAULT 1,
    public          boolean NOT NULL DEFAULT true,
    CHECK (source_id IS NOT NULL OR unsourced)
);
CREATE INDEX award_municipality ON award (municipality_id, year);
CREATE INDEX award_year ON award (year, municipality_id);
CREATE INDEX award_source ON award (source_id);

CREATE TABLE programme (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
    name            text NOT NULL,
    owner_body_id   text REFERENCES body,
    model_code      text NOT NULL REFERENCES model,
    country_code    text REFERENCES country,
    started_from    date,
    started_to      date,
    started_precision text NOT NULL DEFAULT 'unknown',
    note            text,
    source_id       text REFERENCES source,
    quote           text,
    version         integer NOT NULL DEFAULT 1
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
CREATE INDEX programme_member_source ON programme_member (source_id);
CREATE INDEX programme_member_municipality ON programme_member (municipality_id);

-- ---------------------------------------------------------------- derived status

-- An adoption's state on a day, derived from its events and its model's rules (README, "Status rules";
-- sql/functions/10_status.sql).
CREATE TYPE adoption_state AS (
    status          text,
    since           date,     -- start of the current continuous period in this status (earliest possible day)
    since_precision text,
    valid_until     date,     -- last day the current status lasts without a further event
    edition_code    text,     -- edition in force on as_of
    edition_inferred boolean, -- true when no event named the edition and it was taken from the publication dates
    last_audit      date,     -- last audit or assessment that counted
    next_due        date,     -- next surveillance / recertification / self-assessment due
    overdue         boolean,
    reason          text      -- a stable code saying why the status is what it is
);

-- Periods of constant state, kept current by triggers on every write to events, adoptions, editions and models
-- (sql/functions/20_status_spans.sql). [valid_from, valid_to) cover every day from -infinity to infinity.
-- Each span also carries a summary of its adoption's dated events, for the comparison: on or after
-- dated_until the first dated event is first_dated; labels_dated = 0 means no labels on any day.
CREATE TABLE adoption_status_span (
    adoption_id     bigint NOT NULL REFERENCES adoption ON DELETE CASCADE,
    valid_from      date NOT NULL,     -- '-infinity' for the first span
    valid_to        date NOT NULL,     -- exclusive; 'infinity' for the last span
    state           adoption_state NOT NULL,
    dated_until     date,              -- the latest date_to of the adoption's events (NULL when none has one)
    first_dated     date,              -- the earliest date_from of its events that have a date_to
    labels_dated    integer,           -- how many of its label_granted events have a date_to
    PRIMARY KEY (adoption_id, valid_from)
);

-- The maximal runs of days with one status: the spans with neighbours of equal status merged (~3 times fewer
-- rows), with the adoption's municipality and model copied, so that a list filtered on a status is an
-- index-only range read in the list's order instead of a probe of every unit (an expression index on the
-- spans' (state).status cannot be read index-only).
CREATE TABLE adoption_status_run (
    adoption_id     bigint NOT NULL REFERENCES adoption ON DELETE CASCADE,
    valid_from      date NOT NULL,     -- '-infinity' for the first run
    valid_to        date NOT NULL,     -- exclusive; 'infinity' for the last run
    status          text NOT NULL,
    municipality_id text NOT NULL,     -- the adoption's, copied for the index
    model_code      text NOT NULL,     -- the adoption's, copied for the index
    PRIMARY KEY (adoption_id, valid_from)
);
-- status, then ids in byte order (as municipality_id_c); model, validity read from the index alone
CREATE INDEX adoption_status_run_list ON adoption_status_run
    (status, (municipality_id COLLATE "C"), model_code) INCLUDE (valid_from, valid_to);
-- a page's statuses on a day: each unit's runs in the order the page shows them, from the index alone
CREATE INDEX adoption_status_run_unit ON adoption_status_run (municipality_id, model_code, adoption_id)
    INCLUDE (status, valid_from, valid_to);

-- ---------------------------------------------------------------- peers

-- Per country and for every country ('*'): the count, mean and sum of squared deviations of each feature over
-- the counted units (the spread the peer search divides by), and the units having population with area, with
-- urbanisation and with both (those lacking a used feature are then a subtraction). Kept by a trigger.
CREATE TABLE peer_feature_stats (
    scope   text PRIMARY KEY,      -- a country code, or '*' for every country
    n       bigint NOT NULL,       -- counted units
    n_lp    bigint NOT NULL, mean_lp float8, m2_lp float8,
    n_la    bigint NOT NULL, mean_la float8, m2_la float8,
    n_dg    bigint NOT NULL, mean_dg float8, m2_dg float8,
    n_lp_la bigint NOT NULL,
    n_lp_dg bigint NOT NULL,
    n_lp_la_dg bigint NOT NULL
);
-- what refresh_peer_feature_stats writes for an empty registry
INSERT INTO peer_feature_stats (scope, n, n_lp, n_la, n_dg, n_lp_la, n_lp_dg, n_lp_la_dg) VALUES ('*', 0, 0, 0, 0, 0, 0, 0);

-- ---------------------------------------------------------------- curation

CREATE TABLE api_key (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]*$'),
    role            text NOT NULL CHECK (role IN ('admin', 'editor', 'reader')),
    countries       char(2)[] NOT NULL DEFAULT '{}',     -- an editor's scope; empty for admin and reader
    secret_hash     text NOT NULL UNIQUE,                -- sha256 of the key; the key itself is never stored
    prefix          text NOT NULL,                       -- first characters, to recognise a key in lists
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    CHECK (role <> 'editor' OR cardinality(countries) > 0)
);

-- the audit trail every write appends to
CREATE TABLE change (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    key_name        text NOT NULL,          -- who: the API key's name (or 'cli:<user>' for imports from the CLI)
    action          text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    entity          text NOT NULL,          -- municipality, adoption, event, award, programme, programme_member, source, body
    entity_id       text NOT NULL,
    municipality_id text,                   -- the municipality the fact is about, for its history
    import_id       text,                   -- the import the change came with, if any
    before          jsonb,
    after           jsonb
);
CREATE INDEX change_municipality ON change (municipality_id, id);
CREATE INDEX change_at ON change (at, id);

-- ---------------------------------------------------------------- reuse of computed answers

-- One counter every statement changing facts, rosters or rules increments (and announces on channel
-- registry_data_version), so answers computed from the data are reused exactly until it changes
-- (registry/cache.py).
CREATE TABLE data_version (
    id      smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO data_version VALUES (1, 1);

-- One language's labels as the JSON fragments SQL splices into the pages it writes, written by
-- registry/display.py: '<response key>:<code>' -> the label as a JSON string literal (quotes included), e.g.
-- "status:certified" -> "\"Certified\""; "number:group", "number:decimal" and, for groupings other than every
-- three digits, "number:pattern"; "date:year", "date:month", "date:day" (format() strings), "date:month:1"…,
-- "date:day:1"… and "date:day_padded". The key is '<language tag>/<fingerprint of the fragments>', so
-- processes of two releases never overwrite each other's fragments.
CREATE TABLE display_language (
    key        text PRIMARY KEY,
    language   text NOT NULL,
    fragments  jsonb NOT NULL CHECK (jsonb_typeof(fragments) = 'object'),
    written_at timestamptz NOT NULL DEFAULT now()
);

-- Named row types for the arrays compare_municipalities sends: a named composite is described once per
-- connection and decoded with its fields' codecs known in advance, an anonymous ROW() field by field.
CREATE TYPE compare_label AS (
    model text, date_from date, date_to date, date_precision text, body text, source_id text,
    id bigint  -- orders labels across a municipality's adoptions
);
CREATE TYPE compare_model AS (
    model text, model_name text, status text, since date, since_precision text, edition text,
    edition_inferred boolean, valid_until date, last_audit date, next_due date, overdue boolean, first_adopted date,
    labels compare_label[]
);
CREATE TYPE compare_award AS (scheme text, year smallint, level text, category text, source_id text);
CREATE TYPE compare_programme AS (
    id text, name text, model text, joined_from date, joined_to date, joined_precision text
);

-- ---------------------------------------------------------------- seeds

-- Seeds are initial data: loaded once, then only what changed in the seed files is applied, never over a
-- curator's edit (registry/seed.py). seed_state: the digest of the seed files last applied (a restart with
-- the same files does nothing).
CREATE TABLE seed_state (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    digest      text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- per seeded record, the digest of what the seed gave and the record's version right after the seed wrote it:
-- a changed seed is applied with that version as If-Match, so a record a curator changed is left as it is
CREATE TABLE seed_record (
    key         text PRIMARY KEY,      -- e.g. 'event:<source>/<municipality>/<model>/<type>/<date>'
    entity      text NOT NULL,         -- as in the change feed: event, award, source, body, ...
    entity_id   text NOT NULL,
    digest      text NOT NULL,         -- of the values the seed last gave
    version     integer,               -- the record's version when the seed last wrote it
    seeded      jsonb                  -- the values the seed wrote, where a change is merged (municipality names)
);
