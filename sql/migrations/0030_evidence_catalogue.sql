-- 0030 Evidence as sources give it (issue 23): a catalogue curators extend, holders above or beside
-- municipalities, several sources per fact, dates without their year.
--
-- Models: every kind of scheme (also quality marks and programmes), a country for national schemes (NULL =
-- international), the spellings a code is written in (aliases; `match_keys` holds them compacted by
-- registry/catalogue/repo.py model_key(), so 'BFC SEE', 'BFC_SEE' and 'bfc-see' find BFC-SEE), a version for
-- If-Match. Levels are a scheme's tiers (WCCD platinum … aspirational, Slovenian CAF recognitions, medals).
-- Editions get aliases too. Bodies get aliases and former names; accreditations their scope and dates.

ALTER TABLE model DROP CONSTRAINT model_kind_check;
ALTER TABLE model ADD CONSTRAINT model_kind_check CHECK (kind IN (
    'certifiable_standard', 'guidance_standard', 'self_assessment_framework', 'label', 'regional_certification',
    'award_scheme', 'quality_mark', 'programme'));
ALTER TABLE model
    ADD COLUMN country_code text REFERENCES country,      -- NULL: an international model
    ADD COLUMN aliases      text[] NOT NULL DEFAULT '{}',  -- other spellings of its code and name
    ADD COLUMN match_keys   text[] NOT NULL DEFAULT '{}',  -- code, name and aliases compacted (model_key())
    ADD COLUMN source_id    text REFERENCES source,
    ADD COLUMN version      integer NOT NULL DEFAULT 1;
CREATE INDEX model_match_keys ON model USING gin (match_keys);

ALTER TABLE edition
    ADD COLUMN aliases text[] NOT NULL DEFAULT '{}',
    ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE model_level (
    model_code  text NOT NULL REFERENCES model ON UPDATE CASCADE,
    code        text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_-]*$'),  -- 'platinum', 'zacetnik'
    label       text NOT NULL,                                         -- as the scheme writes it
    rank        smallint,                                              -- 1 = the lowest tier, when ordered
    aliases     text[] NOT NULL DEFAULT '{}',
    note        text,
    source_id   text REFERENCES source,
    version     integer NOT NULL DEFAULT 1,
    PRIMARY KEY (model_code, code)
);

ALTER TABLE body
    ADD COLUMN aliases      text[] NOT NULL DEFAULT '{}',
    ADD COLUMN former_names text[] NOT NULL DEFAULT '{}';
ALTER TABLE body_accreditation
    ADD COLUMN scope        text,
    ADD COLUMN number       text,
    ADD COLUMN granted_on   date,
    ADD COLUMN valid_until  date,
    ADD COLUMN note         text;

-- Holders by tier: counties and districts (Polish powiats), regional governments (a voivodeship's marshal
-- office), bodies a municipality owns (a city agency, parent_id its municipality). Rates count municipalities.
ALTER TABLE municipality
    ADD COLUMN tier text NOT NULL DEFAULT 'municipality' CHECK (tier IN ('municipality', 'county', 'region', 'agency'));
ALTER TABLE municipality DROP CONSTRAINT municipality_kind_check;
ALTER TABLE municipality ADD CONSTRAINT municipality_kind_check CHECK (kind IN (
    'city', 'urban_municipality', 'municipality', 'city_municipality', 'rayon',
    'gmina_urban', 'gmina_urban_rural', 'gmina_rural', 'commune', 'lau_unit', 'other',
    'county', 'regional_government', 'agency'));
CREATE INDEX municipality_tier ON municipality (country_code, tier) WHERE tier <> 'municipality';

-- Facts at what the source says: a scheme level; an edition as stated when it names none of the catalogue's
-- ('Edition III/IV (not stated)'); a day whose year the source does not give ('--11-30', ISO 8601's month-day:
-- the event stays undated, date_precision 'unknown', for every rule); an award whose year is not stated.
ALTER TABLE event
    ADD COLUMN level_code     text,
    ADD COLUMN edition_stated text,
    ADD COLUMN date_month_day text CHECK (date_month_day ~ '^--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'),
    ADD CONSTRAINT event_level_fkey FOREIGN KEY (model_code, level_code) REFERENCES model_level (model_code, code)
        ON UPDATE CASCADE,
    ADD CONSTRAINT event_month_day_undated CHECK (date_month_day IS NULL OR date_from IS NULL);
ALTER TABLE award
    ALTER COLUMN year DROP NOT NULL,
    ADD COLUMN level_code text,
    ADD CONSTRAINT award_level_fkey FOREIGN KEY (scheme_code, level_code) REFERENCES model_level (model_code, code)
        ON UPDATE CASCADE;

-- More sources for one fact: each further citation of an event, an award or a membership with its quote (the
-- first stays on the fact's own row).
CREATE TABLE fact_source (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        bigint REFERENCES event ON DELETE CASCADE,
    award_id        bigint REFERENCES award ON DELETE CASCADE,
    programme_id    text,
    municipality_id text,
    source_id       text NOT NULL REFERENCES source,
    quote           text,
    FOREIGN KEY (programme_id, municipality_id) REFERENCES programme_member ON DELETE CASCADE,
    CHECK (num_nonnulls(event_id, award_id, programme_id) = 1 AND (programme_id IS NULL) = (municipality_id IS NULL))
);
CREATE UNIQUE INDEX fact_source_event ON fact_source (event_id, source_id) WHERE event_id IS NOT NULL;
CREATE UNIQUE INDEX fact_source_award ON fact_source (award_id, source_id) WHERE award_id IS NOT NULL;
CREATE UNIQUE INDEX fact_source_member ON fact_source (programme_id, municipality_id, source_id)
    WHERE programme_id IS NOT NULL;
CREATE INDEX fact_source_source ON fact_source (source_id);

-- Roles bodies play in the evidence: an indicator registry (WCCD), an assessor (a faculty rating
-- municipalities), a programme's operator.
ALTER TABLE body DROP CONSTRAINT body_roles_check;
ALTER TABLE body ADD CONSTRAINT body_roles_check CHECK (roles <@ ARRAY[
    'certification_body', 'accreditation_body', 'award_organiser', 'ministry', 'national_caf_organiser',
    'standards_body', 'model_owner', 'network', 'registry', 'assessor', 'programme_operator']::text[]);
