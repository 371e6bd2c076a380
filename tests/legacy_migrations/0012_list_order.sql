-- 0012 lists in id byte order ("C") whatever the server's default collation — the same order and cursors on
-- every server — and a country's units found as a range of that order: every id starts with its country's
-- code in lower case and a hyphen (now a constraint), so a country's ids lie between 'fr-' and 'fr.'.
-- Before, the planner walked every id before a country's (from at- to fi- for France) to reach its first.
ALTER TABLE municipality ADD CONSTRAINT municipality_id_prefix CHECK (id LIKE lower(country_code) || '-%');
CREATE INDEX municipality_id_c ON municipality ((id COLLATE "C"));
