-- One definition of an event as the API shows it, for single reads (get_event) and for the audit rows that bulk
-- imports write in one statement (the same document a single write records as `after`). A day without its year
-- ('--11-30') is its date at precision month_day; `sources` are its further citations (fact_source).
DROP VIEW IF EXISTS event_document;  -- its columns change with the event table's
CREATE VIEW event_document AS
SELECT e.id, a.municipality_id, a.model_code AS model, nullif(a.scope, '') AS scope, e.type,
       coalesce(partial_date(e.date_from, e.date_to, e.date_precision), e.date_month_day) AS date,
       CASE WHEN e.date_month_day IS NOT NULL THEN 'month_day' ELSE e.date_precision END AS date_precision, e.date_kind,
       e.edition_code AS edition, e.edition_stated, e.level_code AS level, e.body_id AS body, e.certificate_number,
       partial_date(e.valid_until, e.valid_until_to, e.valid_until_precision) AS valid_until,
       e.major_nonconformities, e.minor_nonconformities, e.evidence_level, e.score::float8 AS score, e.public, e.note,
       e.source_id, e.quote, e.unsourced, e.version,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('source_id', fs.source_id, 'quote', fs.quote) ORDER BY fs.id), '[]')
          FROM fact_source fs WHERE fs.event_id = e.id) AS sources
FROM event e JOIN adoption a ON a.id = e.adoption_id;
