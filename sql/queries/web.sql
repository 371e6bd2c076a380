-- The web pages' own reads (registry/web/repo.py). Everything else the pages show comes from the same functions
-- and statements the API answers with.

-- name: web_status_spans
-- The status spans of the adoptions of municipalities $1 as the caller's audience sees them (the audience not
-- $2: registry/status/store.py audience()), in order: every period of every adoption, [valid_from, valid_to).
SELECT sp.adoption_id, sp.municipality_id, sp.model_code, sp.valid_from, sp.valid_to, sp.status, sp.basis,
       sp.reason, sp.since, sp.valid_until, sp.last_evidence_date, sp.last_evidenced_status
FROM adoption_status_span sp
WHERE sp.municipality_id = ANY ($1::text[]) AND sp.audience <> $2
ORDER BY sp.municipality_id, sp.model_code, sp.adoption_id, sp.valid_from;

-- name: web_adoption_spans
-- The status spans of adoption $1 as the caller's audience sees them (the audience not $2), in order.
SELECT sp.adoption_id, sp.municipality_id, sp.model_code, sp.valid_from, sp.valid_to, sp.status, sp.basis,
       sp.reason, sp.since, sp.valid_until, sp.last_evidence_date, sp.last_evidenced_status
FROM adoption_status_span sp
WHERE sp.adoption_id = $1 AND sp.audience <> $2
ORDER BY sp.valid_from;

-- name: web_country_holdings
-- Per country with a roster: its size, the models adopted there with their adopters, the units holding some model
-- on $1 as the evidence confirms it (evidenced or inferred) and as it may be (adding those no evidence reaches
-- after they held it), from the spans of the audience not $2, and when its facts last changed (the change log).
WITH held AS (
    SELECT a.municipality_id, a.model_code,
           is_holding(sp.status) AND sp.basis <> 'unknown' AS confirmed,
           is_holding(sp.status) AND sp.basis <> 'unknown'
               OR sp.status = 'unknown' AND is_holding(sp.last_evidenced_status) AS possible
    FROM adoption a
    JOIN adoption_status_span sp ON sp.adoption_id = a.id AND sp.audience <> $2
                                AND sp.valid_from <= $1 AND $1 < sp.valid_to
), per_model AS (
    SELECT m.country_code, h.model_code, count(DISTINCT h.municipality_id) AS adopters
    FROM held h JOIN municipality m ON m.id = h.municipality_id
    GROUP BY m.country_code, h.model_code
), per_country AS (
    SELECT m.country_code,
           count(DISTINCT h.municipality_id) FILTER (WHERE h.confirmed) AS holders_confirmed,
           count(DISTINCT h.municipality_id) FILTER (WHERE h.possible) AS holders_possible
    FROM held h JOIN municipality m ON m.id = h.municipality_id
    GROUP BY m.country_code
), roster AS (
    SELECT country_code, count(*) FILTER (WHERE counted) AS municipality_count FROM municipality GROUP BY country_code
), changed AS (
    SELECT upper(split_part(municipality_id, '-', 1)) AS country_code, max(at) AS last_change
    FROM change WHERE municipality_id IS NOT NULL GROUP BY 1
)
SELECT c.code, c.name, c.roster_complete, c.roster_as_of, r.municipality_count,
       coalesce((SELECT array_agg(ARRAY[pm.model_code, pm.adopters::text] ORDER BY pm.model_code)
                   FROM per_model pm WHERE pm.country_code = c.code), '{}') AS models,
       coalesce(pc.holders_confirmed, 0) AS holders_confirmed, coalesce(pc.holders_possible, 0) AS holders_possible,
       ch.last_change
FROM country c
JOIN roster r ON r.country_code = c.code AND r.municipality_count > 0
LEFT JOIN per_country pc ON pc.country_code = c.code
LEFT JOIN changed ch ON ch.country_code = c.code
ORDER BY c.code;

-- name: web_models
-- The model catalogue for the pages' choices: code, name, lifecycle, and how many adoptions each has.
SELECT mo.code, mo.name, mo.lifecycle, (SELECT count(*) FROM adoption a WHERE a.model_code = mo.code) AS adoptions
FROM model mo
ORDER BY mo.code;

-- name: web_countries_with_roster
-- The countries whose roster the registry holds, with whether they have regions.
SELECT c.code, c.name, c.roster_complete,
       EXISTS (SELECT 1 FROM region r WHERE r.country_code = c.code) AS has_regions
FROM country c
WHERE EXISTS (SELECT 1 FROM municipality m WHERE m.country_code = c.code AND m.counted)
ORDER BY c.code;

-- name: web_attention
-- Certificates the evidence confirms in force on $1 (certified, evidenced or inferred) whose validity ends by $2
-- or whose next audit is overdue on $1; filters $3 country, $4 model; spans of the audience not $5. What a
-- ministry follows up: the expiring list of GET /v1/certificates/expiring and the audits overdue besides.
SELECT x.municipality_id, m.name_local, m.name_latin, m.country_code AS country, x.model_code AS model,
       sp.status, sp.basis, sp.edition, sp.valid_until, sp.valid_until_day - $1::date AS days_left,
       sp.last_audit, sp.next_due, sp.overdue, sp.valid_until_day <= $2 AS expiring,
       (SELECT b.name FROM event e JOIN body b ON b.id = e.body_id
         WHERE e.adoption_id = x.id AND e.type IN ('certification', 'recertification', 'surveillance',
                                                   'edition_transition', 'certification_audit')
           AND e.date_to <= $1 ORDER BY e.date_to DESC LIMIT 1) AS body
FROM adoption x
JOIN adoption_status_span sp ON sp.adoption_id = x.id AND sp.audience <> $5
                            AND sp.valid_from <= $1 AND $1 < sp.valid_to
JOIN model mo ON mo.code = x.model_code AND mo.lifecycle = 'certification'
JOIN municipality m ON m.id = x.municipality_id
WHERE ($4::text IS NULL OR x.model_code = $4)
  AND sp.status = 'certified' AND sp.basis <> 'unknown' AND (sp.valid_until_day <= $2 OR sp.overdue)
  AND ($3::text IS NULL OR m.country_code = $3)
ORDER BY sp.valid_until_day, x.municipality_id, x.model_code
LIMIT 1000;

-- name: web_names
-- The names of municipalities $1, for lists that carry only their ids.
SELECT id, country_code, name_local, name_latin FROM municipality WHERE id = ANY ($1::text[]);
