-- Status spans (registry/status/store.py): the evidence the rules read, and the spans' bookkeeping.

-- name: status_evidence
-- Adoptions $1 with their model's rules and their events as the rules read them.
SELECT a.id, a.municipality_id, a.model_code, m.lifecycle, m.cycle_months, m.surveillance_interval_months,
       m.surveillance_grace_months, m.label_validity_months, m.activity_window_months,
       coalesce((SELECT array_agg(ROW(e.id, e.type, e.date_from, e.date_to, e.date_precision, e.date_kind,
                                      e.edition_code, e.valid_until, e.valid_until_to, e.valid_until_precision,
                                      e.public, e.source_id) ORDER BY e.id)
                   FROM event e WHERE e.adoption_id = a.id), '{}') AS events
FROM adoption a JOIN model m ON m.code = a.model_code
WHERE a.id = ANY ($1::bigint[]);

-- name: status_editions
SELECT model_code, code, published_on, certificates_valid_until, status FROM edition ORDER BY model_code, code;

-- name: status_all_adoptions
SELECT id FROM adoption ORDER BY id;

-- name: status_adoptions_without_spans
SELECT a.id FROM adoption a WHERE NOT EXISTS (SELECT FROM adoption_status_span s WHERE s.adoption_id = a.id)
ORDER BY a.id;

-- name: status_adoptions_of_model
SELECT id FROM adoption WHERE model_code = $1 ORDER BY id;

-- name: status_forget
-- The spans and runs of adoptions $1, before they are written again.
WITH runs AS (DELETE FROM adoption_status_run WHERE adoption_id = ANY ($1::bigint[]))
DELETE FROM adoption_status_span WHERE adoption_id = ANY ($1::bigint[]);
