-- name: europe_clear_stage
-- Empty the staging table before a load.
TRUNCATE europe_stage;

-- name: europe_national_roster_countries
-- Countries whose municipalities come from a national roster: Europe loads match them, never add to them.
SELECT DISTINCT country_code FROM municipality WHERE roster_source_id LIKE 'roster-%';

-- name: europe_upsert_regions
-- NUTS-3 regions of the staged units (named by their code: the LAU table carries no region names).
INSERT INTO region (code, country_code, kind, name_local, name_latin)
SELECT DISTINCT s.region_code, s.country_code, 'nuts3_2016', s.region_code, s.region_code
FROM europe_stage s
WHERE s.region_code IS NOT NULL
ON CONFLICT (code) DO NOTHING;

-- name: europe_update_matched
-- Units already in the registry (by LAU code): add the degree of urbanisation, fill gaps only.
UPDATE municipality m
SET degurba = s.degurba,
    population = coalesce(m.population, s.population),
    area_km2 = coalesce(m.area_km2, s.area_km2),
    region_code = coalesce(m.region_code, s.region_code)
FROM europe_stage s
JOIN municipality_identifier i ON i.scheme = 'lau' AND i.value = s.lau_key
WHERE m.id = i.municipality_id
  AND (m.degurba IS DISTINCT FROM s.degurba OR m.population IS NULL OR m.area_km2 IS NULL
       OR m.region_code IS NULL);

-- name: europe_count_matched
SELECT count(*) FROM europe_stage s
WHERE EXISTS (SELECT 1 FROM municipality_identifier i WHERE i.scheme = 'lau' AND i.value = s.lau_key);

-- name: europe_insert_new
-- Units of countries without a national roster that the registry does not hold yet ($1: roster countries).
INSERT INTO municipality (id, country_code, national_code, kind, region_code, counted, name_local, name_latin,
                          name_variants, population, area_km2, degurba, roster_source_id, search_text)
SELECT s.id, s.country_code, s.lau_code, 'lau_unit', s.region_code, true, s.name_local, s.name_latin,
       s.name_variants, s.population, s.area_km2, s.degurba, $2, s.search_text
FROM europe_stage s
WHERE s.country_code <> ALL ($1::text[])
  AND NOT EXISTS (SELECT 1 FROM municipality_identifier i WHERE i.scheme = 'lau' AND i.value = s.lau_key)
ON CONFLICT (id) DO NOTHING;

-- name: europe_insert_identifiers
-- The LAU crosswalk entry of every newly added unit.
INSERT INTO municipality_identifier (scheme, value, municipality_id)
SELECT 'lau', s.lau_key, s.id
FROM europe_stage s JOIN municipality m ON m.id = s.id
ON CONFLICT (scheme, value) DO NOTHING;

-- name: europe_set_lau_kind
-- The kind of a unit the Europe load added (Croatia: a grad is a city, an općina a municipality; names_hr.csv).
UPDATE municipality SET kind = $2 WHERE id = $1 AND kind = 'lau_unit';

-- name: europe_unmatched_in_roster_countries
-- Staged units of national-roster countries that match no unit (e.g. gminas dissolved since 2019).
SELECT s.lau_key, s.name_local FROM europe_stage s
WHERE s.country_code = ANY ($1::text[])
  AND NOT EXISTS (SELECT 1 FROM municipality_identifier i WHERE i.scheme = 'lau' AND i.value = s.lau_key)
ORDER BY s.lau_key;

-- name: europe_countries_loaded
-- Per country added by the Europe load: how many LAU units it holds now.
SELECT country_code, count(*) AS units FROM municipality
WHERE roster_source_id = $1 GROUP BY country_code ORDER BY country_code;

-- name: analyze_places
ANALYZE municipality, municipality_identifier, region;
