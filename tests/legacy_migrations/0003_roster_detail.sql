-- 0003 roster detail: name variants, degree of urbanisation, and units known only as Eurostat LAUs.

ALTER TABLE municipality
    ADD COLUMN name_variants text[] NOT NULL DEFAULT '{}',
    ADD COLUMN degurba smallint CHECK (degurba IN (1, 2, 3));  -- Eurostat DEGURBA: 1 city, 2 town/suburb, 3 rural

COMMENT ON COLUMN municipality.degurba IS 'Eurostat degree of urbanisation of the LAU: 1 cities, 2 towns and suburbs, 3 rural areas';

ALTER TABLE municipality DROP CONSTRAINT municipality_kind_check;
ALTER TABLE municipality ADD CONSTRAINT municipality_kind_check CHECK (kind IN (
    'city', 'urban_municipality', 'municipality', 'city_municipality', 'rayon',
    'gmina_urban', 'gmina_urban_rural', 'gmina_rural', 'commune', 'lau_unit', 'other'));

-- the staging table a Europe load copies into before merging (unlogged: it is refilled on every load)
CREATE UNLOGGED TABLE europe_stage (
    id              text NOT NULL,
    country_code    char(2) NOT NULL,
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
