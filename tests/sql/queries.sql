-- Named queries only the tests use (tests/conftest.py adds them to registry.db.queries); production code never
-- loads this file.

-- name: compare_municipalities_reference
-- The comparison as SQL alone writes it, for the tests only: one JSON array of ComparedMunicipality items
-- ($1 ids, $2 as_of), what compare_municipalities and the service must together give.
SELECT coalesce(json_agg(json_build_object(
       'id', c.id, 'name_local', c.name_local, 'name_latin', c.name_latin, 'country', c.country_code,
       'kind', c.kind, 'population', c.population, 'population_year', c.population_year,
       'area_km2', c.area_km2::float8, 'degurba', c.degurba,
       'models', (SELECT coalesce(json_agg(json_build_object(
                   'model', a.model_code, 'model_name', mo.name, 'status', st.status,
                   'holding', is_holding(st.status),
                   'since', partial_date(st.since, st.since, st.since_precision),
                   'years_continuous', CASE WHEN is_holding(st.status)
                                            THEN round((($2::date - st.since + 1) / 365.25)::numeric, 1) END,
                   'edition', st.edition_code, 'edition_inferred', st.edition_inferred,
                   'valid_until', st.valid_until, 'last_audit', st.last_audit,
                   'next_due', st.next_due, 'overdue', st.overdue,
                   'first_adopted', partial_date(first.day, first.day, 'day'))
                   ORDER BY a.model_code, a.id), '[]'::json)
          FROM adoption a CROSS JOIN LATERAL adoption_state_on(a.id, $2) st
          -- adoption_first_date() written out: a SQL function with an aggregate is not inlined, and calling
          -- it cost ~40 us per adoption
          CROSS JOIN LATERAL (SELECT min(e.date_from) AS day FROM event e
                               WHERE e.adoption_id = a.id AND e.date_from IS NOT NULL AND e.date_to <= $2) first
          JOIN model mo ON mo.code = a.model_code
         WHERE a.municipality_id = c.id),
       'awards', (SELECT coalesce(json_agg(json_build_object(
                   'scheme', aw.scheme_code, 'year', aw.year, 'level', aw.level, 'category', aw.category,
                   'source_id', aw.source_id) ORDER BY aw.year, aw.id), '[]'::json)
          FROM award aw
         WHERE aw.municipality_id = c.id
           AND coalesce(aw.date_to, make_date(aw.year, 12, 31)) <= $2),
       'labels', (SELECT coalesce(json_agg(json_build_object(
                   'model', ad.model_code, 'date', partial_date(e.date_from, e.date_to, e.date_precision),
                   'body', e.body_id, 'source_id', e.source_id) ORDER BY e.date_from, e.id), '[]'::json)
          FROM event e JOIN adoption ad ON ad.id = e.adoption_id
         WHERE ad.municipality_id = c.id AND e.type = 'label_granted' AND e.date_to <= $2),
       'programmes', (SELECT coalesce(json_agg(json_build_object(
                   'id', p.id, 'name', p.name, 'model', p.model_code,
                   'joined', partial_date(pm.joined_from, pm.joined_to, pm.joined_precision)) ORDER BY p.id), '[]'::json)
          FROM programme_member pm JOIN programme p ON p.id = pm.programme_id
         WHERE pm.municipality_id = c.id)) ORDER BY t.ord), '[]'::json)
FROM unnest($1::text[]) WITH ORDINALITY AS t(id, ord)
JOIN municipality c ON c.id = t.id;

-- name: peers_knn
-- The same answer as peers_knn_scan for a country ($2) or every country ($2 NULL), without scoring every
-- candidate: the function of sql/functions/40_peers.sql (a window in ln(population) bounded by the nearest units,
-- scored from the index). NULL when population is not a used feature (the caller then uses peers_knn_scan).
SELECT peers_knn($1, $2, $3);
