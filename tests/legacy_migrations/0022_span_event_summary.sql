-- 0022 Each status span carries its adoption's dated events in summary, so that a comparison reads an
-- adoption's first dated event and whether it has labels with the span in force, instead of scanning the
-- adoption's events twice (once for the first date, once more for labels).
--
-- On the benchmark data a comparison of ten touched ~620 buffers: ~300 of them to scan each adoption's events
-- for the earliest date_from among those dated on or before as_of, and for its labels. Both depend on as_of
-- only while as_of is before the adoption's last dated event, so each span row now also holds, for the whole
-- adoption:
--   dated_until   the latest date_to of its events (NULL when none has one);
--   first_dated   the earliest date_from of its events that have a date_to;
--   labels_dated  how many of its label_granted events have a date_to.
-- On or after dated_until, the first dated event is first_dated; an adoption with labels_dated = 0 has no
-- labels on any day. Before dated_until (and where an adoption has no spans) compare_municipalities scans
-- the events as before. The columns are written with the spans by write_status_spans(), which every write
-- to events, adoptions, editions and models reaches through refresh_status_spans() (0007, 0017), so they
-- cannot disagree with the events. tests/test_spans.py checks them against the events after writes, and
-- tests/test_analytics.py the comparison against compare_municipalities_reference on days before and after.
ALTER TABLE adoption_status_span
    ADD COLUMN dated_until date,
    ADD COLUMN first_dated date,
    ADD COLUMN labels_dated integer;

-- 0009's body (renamed by 0017), with the summary computed from the events it already reads.
CREATE OR REPLACE FUNCTION write_status_spans(p_adoptions bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    written integer;
BEGIN
    IF p_adoptions IS NULL THEN
        p_adoptions := ARRAY(SELECT id FROM adoption);
    END IF;
    DELETE FROM adoption_status_span s USING unnest(p_adoptions) AS t(id) WHERE s.adoption_id = t.id;
    WITH inserted AS (
        INSERT INTO adoption_status_span (adoption_id, valid_from, valid_to, state, dated_until, first_dated,
                                          labels_dated)
        SELECT a.id, s.valid_from, s.valid_to, s.state, a.dated_until, a.first_dated, a.labels_dated
        FROM (SELECT ad.id, mo AS m, ev.evs, ev.dated_until, ev.first_dated, ev.labels_dated,
                     (SELECT array_agg(ed ORDER BY ed.published_on NULLS FIRST, ed.code) FROM edition ed
                       WHERE ed.model_code = ad.model_code) AS eds
              FROM (SELECT DISTINCT id FROM unnest(p_adoptions) AS t(id)) t
              JOIN adoption ad ON ad.id = t.id
              JOIN model mo ON mo.code = ad.model_code
              CROSS JOIN LATERAL (
                  SELECT array_agg(e ORDER BY e.date_to NULLS LAST, e.id) AS evs,
                         max(e.date_to) AS dated_until,
                         min(e.date_from) FILTER (WHERE e.date_to IS NOT NULL) AS first_dated,
                         count(*) FILTER (WHERE e.type = 'label_granted' AND e.date_to IS NOT NULL)::integer
                             AS labels_dated
                  FROM event e WHERE e.adoption_id = ad.id) ev) a
        CROSS JOIN LATERAL adoption_spans(a.m, a.evs, a.eds) s
        RETURNING adoption_id
    )
    SELECT count(DISTINCT adoption_id) INTO written FROM inserted;
    RETURN written;
END
$$;

-- the spans written before this migration
UPDATE adoption_status_span s
   SET dated_until = d.dated_until, first_dated = d.first_dated, labels_dated = d.labels_dated
  FROM (SELECT a.id, max(e.date_to) AS dated_until,
               min(e.date_from) FILTER (WHERE e.date_to IS NOT NULL) AS first_dated,
               count(e.id) FILTER (WHERE e.type = 'label_granted' AND e.date_to IS NOT NULL)::integer AS labels_dated
          FROM adoption a LEFT JOIN event e ON e.adoption_id = a.id
         GROUP BY a.id) d
 WHERE s.adoption_id = d.id;

-- The comparison's models carry their labels (the span says which adoptions have any); the event id orders
-- them across a municipality's adoptions as the labels of compare_municipalities_reference are ordered.
ALTER TYPE compare_label ADD ATTRIBUTE id bigint;
ALTER TYPE compare_model ADD ATTRIBUTE labels compare_label[];
