-- 0014 country codes as text. As char(2) they were compared with text parameters by casting the column
-- (char to text trims blanks, a function call), so no index on a country code served `country_code = $1`:
-- a country's list, statistics or peers read every unit of every country first. Same values, two letters.
ALTER TABLE country
    ALTER COLUMN code TYPE text, ALTER COLUMN alpha3 TYPE text, ALTER COLUMN numeric_code TYPE text,
    ADD CONSTRAINT country_code_length CHECK (length(code) = 2 AND length(alpha3) = 3);
ALTER TABLE country_roster_source ALTER COLUMN country_code TYPE text;
ALTER TABLE region ALTER COLUMN country_code TYPE text;
ALTER TABLE municipality ALTER COLUMN country_code TYPE text;
ALTER TABLE body ALTER COLUMN country_code TYPE text;
ALTER TABLE programme ALTER COLUMN country_code TYPE text;
ALTER TABLE europe_stage ALTER COLUMN country_code TYPE text;
ANALYZE country, region, municipality;
