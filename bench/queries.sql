-- Named queries only the benchmark uses (bench/generate.py adds them to registry.db.queries); the registry
-- never loads this file.

-- name: bench_stage_tables
-- Transaction-local staging tables for the synthetic benchmark data (ids are given by the generator).
CREATE TEMP TABLE bench_adoption (id bigint, municipality_id text, model_code text) ON COMMIT DROP;
CREATE TEMP TABLE bench_event (adoption_id bigint, type text, date_from date, date_to date, date_precision text,
                               edition_code text, model_code text, body_id text, evidence_level text,
                               score numeric) ON COMMIT DROP;
CREATE TEMP TABLE bench_award (municipality_id text, scheme_code text, year smallint, level text) ON COMMIT DROP;

-- name: bench_insert_adoptions
INSERT INTO adoption (id, municipality_id, model_code, note) OVERRIDING SYSTEM VALUE
SELECT id, municipality_id, model_code, 'SYNTHETIC benchmark data' FROM bench_adoption;

-- name: bench_insert_events
INSERT INTO event (adoption_id, type, date_from, date_to, date_precision, edition_code, model_code, body_id,
                   evidence_level, score, note, source_id, unsourced)
SELECT adoption_id, type, date_from, date_to, date_precision, edition_code, model_code, body_id, evidence_level,
       score, NULL, 'synthetic-benchmark', false
FROM bench_event;

-- name: bench_insert_awards
INSERT INTO award (municipality_id, scheme_code, year, level, date_from, date_to, date_precision, note, source_id)
SELECT municipality_id, scheme_code, year, level, make_date(year, 1, 1), make_date(year, 12, 31), 'year',
       'SYNTHETIC benchmark data', 'synthetic-benchmark'
FROM bench_award;

-- name: bench_reset_identity
SELECT setval(pg_get_serial_sequence('adoption', 'id'), (SELECT max(id) FROM adoption));

-- name: bench_municipalities
-- The counted municipalities to give synthetic histories to ($1: at most this many, by id; NULL = all).
SELECT id, country_code FROM municipality WHERE counted ORDER BY id LIMIT $1;

-- name: bench_editions
SELECT model_code, code, published_on FROM edition WHERE status <> 'draft' AND published_on IS NOT NULL
ORDER BY model_code, published_on;

-- name: bench_has_data
SELECT count(*) FROM event;

-- name: bench_sample_ids
-- A deterministic sample of municipalities that have adoptions, for the load generator.
SELECT DISTINCT a.municipality_id FROM adoption a ORDER BY a.municipality_id LIMIT $1;

-- name: bench_analyze
ANALYZE;

-- name: bench_vacuum
-- Before measuring: clear the dead rows a previous run's import left (each run then starts from the same
-- state; with them, planning a list query took ~2.5 ms instead of ~0.5, probing index ends past dead rows).
VACUUM (ANALYZE);

-- name: bench_busiest_country
-- The country with the most adoptions: the one the country-level endpoints are measured on.
SELECT m.country_code FROM adoption a JOIN municipality m ON m.id = a.municipality_id
GROUP BY m.country_code ORDER BY count(*) DESC, m.country_code LIMIT 1;

-- name: bench_a_programme
SELECT id FROM programme ORDER BY id LIMIT 1;

-- name: bench_has_schema
SELECT to_regclass('event') IS NOT NULL;

-- name: bench_database_exists
SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1);

-- name: bench_adopted_pairs
SELECT municipality_id, model_code FROM adoption;

-- name: bench_high_water
-- The last ids before the timed import, which the benchmark takes out again afterwards.
SELECT (SELECT coalesce(max(id), 0) FROM event) AS event, (SELECT coalesce(max(id), 0) FROM adoption) AS adoption,
       (SELECT coalesce(max(id), 0) FROM change) AS change;

-- name: bench_forget_events
DELETE FROM event WHERE id > $1;

-- name: bench_forget_adoptions
DELETE FROM adoption WHERE id > $1;

-- name: bench_forget_changes
DELETE FROM change WHERE id > $1;

-- name: bench_adoptions_without_spans
SELECT a.id FROM adoption a
WHERE NOT EXISTS (SELECT 1 FROM adoption_status_span s WHERE s.adoption_id = a.id)
ORDER BY a.id;

-- name: bench_sizes
SELECT (SELECT count(*) FROM municipality) AS municipalities, (SELECT count(*) FROM adoption) AS adoptions,
       (SELECT count(*) FROM event) AS events, (SELECT count(*) FROM award) AS awards;
