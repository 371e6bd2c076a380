-- 0019 List pages written by SQL in the caller's language, labels and display values included, and sent on as
-- PostgreSQL writes them. Before, the API decoded each page (~30 KB), added a label next to every code, the
-- country's name, display numbers and the name in the wanted script, and encoded it again: about as much CPU
-- as the query itself. The labels still come from the application's catalogues and CLDR (registry/i18n.py):
-- registry/display.py writes them here, one row per language and release, as the JSON fragments that SQL
-- splices in. tests/test_display.py checks that a page written here equals the page the Python labelling
-- gives, key order included, in every full language, several CLDR-only ones and both scripts.

-- One language's fragments: '<response key>:<code>' -> the label as a JSON string literal (quotes included),
-- e.g. "status:certified" -> "\"Certified\"", "country:FR" -> "\"France\""; and the number format:
-- "number:group", "number:decimal" (JSON-escaped symbols) and, for groupings other than every three digits,
-- "number:pattern" (a regular expression that puts a comma after each digit that starts a group).
-- The key is '<language tag>/<fingerprint of the fragments>': processes of two releases never overwrite
-- each other's fragments.
CREATE TABLE display_language (
    key        text PRIMARY KEY,
    language   text NOT NULL,
    fragments  jsonb NOT NULL CHECK (jsonb_typeof(fragments) = 'object'),
    written_at timestamptz NOT NULL DEFAULT now()
);

-- Serbian Cyrillic to Latin as registry/text.py's sr_cyrillic_to_latin (the official one-to-one mapping, and
-- the letters of other Cyrillic alphabets met in name variants); tests/test_display.py compares them.
CREATE FUNCTION sr_cyrillic_to_latin(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT translate(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t,
        'Љ', 'Lj'), 'Њ', 'Nj'), 'Џ', 'Dž'), 'Ю', 'Ju'), 'Я', 'Ja'), 'Ё', 'Jo'), 'Щ', 'Šč'), 'Ѓ', 'Gj'), 'Ќ', 'Kj'),
        'Ѕ', 'Dz'), 'љ', 'lj'), 'њ', 'nj'), 'џ', 'dž'), 'ю', 'ju'), 'я', 'ja'), 'ё', 'jo'), 'щ', 'šč'), 'ѓ', 'gj'),
        'ќ', 'kj'), 'ѕ', 'dz'),
    -- one letter for one letter; the last four (hard and soft signs) have none and are dropped
    'абвгдђежзијклмнопрстћуфхцчшйыэәғүһөҹАБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШЙЫЭӘҒҮҺӨҸъьЪЬ',
    'abvgdđežzijklmnoprstćufhcčšjyeəğühöcABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠJYEƏĞÜHÖC')
$$;

-- Serbian Latin to Cyrillic as registry/text.py's sr_latin_to_cyrillic: the digraphs dž, lj, nj first (a
-- capital first letter gives a capital), then letter for letter. No digraph ends with a letter another begins
-- with, so replacing them everywhere first gives the same text as reading left to right.
CREATE FUNCTION sr_latin_to_cyrillic(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT translate(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t,
        'DŽ', 'Џ'), 'Dž', 'Џ'), 'dŽ', 'џ'), 'dž', 'џ'), 'LJ', 'Љ'), 'Lj', 'Љ'), 'lJ', 'љ'), 'lj', 'љ'),
        'NJ', 'Њ'), 'Nj', 'Њ'), 'nJ', 'њ'), 'nj', 'њ'),
    'abvgdđežzijklmnoprstćufhcčšABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠ',
    'абвгдђежзијклмнопрстћуфхцчшАБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШ')
$$;

-- A municipality's name in the wanted script, as registry/i18n.py's place_name: 'Latn' gives the Latin name,
-- 'Cyrl' gives Serbian municipalities their Cyrillic name, anything else the local name.
CREATE FUNCTION place_name(name_local text, name_latin text, country text, script text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN script = 'Latn' THEN coalesce(nullif(name_latin, ''), sr_cyrillic_to_latin(name_local))
            WHEN script = 'Cyrl' AND country = 'RS'
                THEN CASE WHEN name_local ~ '[Ѐ-ӿ]' THEN name_local ELSE sr_latin_to_cyrillic(name_latin) END
            ELSE name_local END
$$;

-- A number as babel's format_decimal writes it in the language of fragments f (pattern #,##0.###: grouped
-- integer digits, at most three decimals, no trailing zeros). For the registry's non-negative numbers with at
-- most two decimals (populations; areas, numeric(12, 2)), which need no rounding.
CREATE FUNCTION display_number(n numeric, f jsonb) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT replace(replace(replace(
           CASE WHEN f ? 'number:pattern' THEN regexp_replace(trim_scale(n)::text, f ->> 'number:pattern', '\1,', 'g')
                ELSE rtrim(to_char(n, 'FM999,999,999,999,999,990.999'), '.') END,
           ',', chr(1)), '.', f ->> 'number:decimal'), chr(1), f ->> 'number:group')
$$;

-- The items of a list page, in the order given, as one JSON array in the fields and order of
-- MunicipalitySummary, each followed by what the API adds in language `display` (a display_language key):
-- country_name, kind_label, population_display, area_km2_display, model_label and status_label of each
-- adoption in force on `day`, and the name in `script` ('Latn', 'Cyrl' or ''). A label the language lacks is
-- left out, as the Python labelling leaves it out. Raises RGD01 when the language's fragments are not written
-- yet (registry/display.py writes them and asks again).
CREATE FUNCTION municipality_items_json(units municipality[], day date, display text, script text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    f     jsonb;
    items text;
BEGIN
    -- `|| '{}'` makes an uncompressed copy: the lookups below then read it in place
    SELECT d.fragments || '{}'::jsonb INTO f FROM display_language d WHERE d.key = display;
    IF f IS NULL THEN
        RAISE EXCEPTION 'no display fragments for %', display USING ERRCODE = 'RGD01';
    END IF;
    -- ids, kinds, models and statuses are codes their CHECK constraints or the status derivation keep free of
    -- characters JSON escapes; every other text goes through to_json
    SELECT '[' || coalesce(string_agg(
               '{"id":"' || m.id || '","country_code":' || to_json(m.country_code)
               || ',"country_name":' || coalesce(f ->> ('country:' || m.country_code), 'null')
               || ',"kind":"' || m.kind || coalesce('","kind_label":' || (f ->> ('kind:' || m.kind)), '"')
               || ',"region_code":' || coalesce(to_json(m.region_code)::text, 'null')
               || ',"parent_id":' || coalesce('"' || m.parent_id || '"', 'null')
               || ',"name_local":' || to_json(m.name_local) || ',"name_latin":' || to_json(m.name_latin)
               || ',"population":' || coalesce(m.population || ',"population_display":"'
                                               || display_number(m.population, f) || '"', 'null')
               || ',"population_year":' || coalesce(m.population_year::text, 'null')
               || ',"area_km2":' || coalesce(trim_scale(m.area_km2) || ',"area_km2_display":"'
                                             || display_number(m.area_km2, f) || '"', 'null')
               || ',"degurba":' || coalesce(m.degurba::text, 'null')
               || ',"adoptions":[' || coalesce(brief.adoptions, '')
               || '],"name":' || to_json(place_name(m.name_local, m.name_latin, m.country_code, script))
               || '}', ',' ORDER BY m.ordinality), '') || ']'
      INTO items
      FROM unnest(units) WITH ORDINALITY AS m
      CROSS JOIN LATERAL (
          SELECT string_agg('{"model":"' || r.model_code
                            || coalesce('","model_label":' || (f ->> ('model:' || r.model_code)), '"')
                            || ',"status":"' || r.status
                            || coalesce('","status_label":' || (f ->> ('status:' || r.status)), '"') || '}',
                            ',' ORDER BY r.model_code, r.adoption_id) AS adoptions
          FROM adoption_status_run r
          WHERE r.municipality_id = m.id AND r.valid_from <= day AND day < r.valid_to) brief;
    RETURN items;
END
$$;
