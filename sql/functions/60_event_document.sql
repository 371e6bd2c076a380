-- One definition of an event as the API shows it, for single reads (get_event) and for the audit rows that bulk
-- imports write in one statement (the same document a single write records as `after`).
DROP VIEW IF EXISTS event_document;  -- its columns change with the event table's
CREATE VIEW event_document AS
SELECT e.id, a.municipality_id, a.model_code AS model, nullif(a.scope, '') AS scope, e.type,
       partial_date(e.date_from, e.date_to, e.date_precision) AS date, e.date_precision, e.date_kind,
       e.edition_code AS edition, e.body_id AS body, e.certificate_number,
       partial_date(e.valid_until, e.valid_until_to, e.valid_until_precision) AS valid_until,
       e.major_nonconformities, e.minor_nonconformities, e.evidence_level, e.score::float8 AS score, e.public, e.note,
       e.source_id, e.quote, e.unsourced, e.version
FROM event e JOIN adoption a ON a.id = e.adoption_id;
