-- 0023 The municipality profile written by SQL in the caller's language, as list pages are since 0019.
-- The API decoded each profile (~11 KB of JSON), added ~120 labels, display dates and numbers next to its
-- codes, and encoded it again (~15 KB): ~170 us of the API's single process per profile, a fifth of all it
-- spent on one. Here PostgreSQL writes the labelled document in one pass, from the same fragments as the
-- list (registry/display.py), which now also hold how the language writes a year, a month and a day. The
-- API sends it on as written. tests/test_display.py checks that every profile written here is byte for byte
-- what the Python labelling gives (i18n.shaped_decorator(Municipality)), in every full language, several
-- CLDR-only ones and both scripts. get_municipality_profile (the unlabelled JSON) stays: the API uses it for
-- a language whose dates do not take a form these templates can write, and the tests as the reference.

-- How a language writes dates, as registry/i18n.py's display_date does (registry/display.py's date_templates):
-- format() strings where %1$s is the day of the month, %2$s the month as the pattern writes it (a name, or a
-- number) and %3$s the year ("date:day", "date:month", "date:year"), the twelve month texts of the month's and
-- of the day's pattern ("date:month:1" …, "date:day:1" …: in Polish "styczeń 2026" but "5 stycznia 2026"),
-- all already JSON-escaped, and "date:day_padded" where days are written "05". The writer reads them from the
-- fragments once per statement and passes them on.
CREATE FUNCTION display_day(d date, fmt text, names text[], padded boolean) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT format(fmt, to_char(d, CASE WHEN padded THEN 'DD' ELSE 'FMDD' END), names[to_char(d, 'FMMM')::integer],
              to_char(d, 'FMYYYY'))
$$;

-- partial_date(d_from, d_to, prec) as display_date writes it (NULL where partial_date gives NULL)
CREATE FUNCTION display_partial(d_from date, d_to date, prec text, year_fmt text, month_fmt text, month_names text[],
                                day_fmt text, day_names text[], padded boolean) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT CASE
    WHEN d_from IS NULL OR prec = 'unknown' THEN NULL
    WHEN prec = 'year' THEN format(year_fmt, NULL, NULL, to_char(d_from, 'FMYYYY'))
    WHEN prec = 'month' THEN format(month_fmt, NULL, month_names[to_char(d_from, 'FMMM')::integer], to_char(d_from, 'FMYYYY'))
    WHEN prec = 'range' AND d_to IS DISTINCT FROM d_from
        THEN display_day(d_from, day_fmt, day_names, padded) || ' – ' || display_day(d_to, day_fmt, day_names, padded)
    ELSE display_day(d_from, day_fmt, day_names, padded)
END
$$;

-- The profile of municipality p_id on p_day (facts marked non-public only with p_private), labelled in the
-- language of fragments p_display, names in p_script ('Latn', 'Cyrl' or ''): the fields and order of
-- get_municipality_profile, each code followed by what i18n.decorate() adds. Also returned: the version (for
-- the ETag) and the region's code and label as written, which the API replaces by its ISO 3166-2 name in
-- the language where pycountry has one. No row for an unknown id; RGD01 when the fragments are not written.
-- Codes (ids, kinds, models, statuses, types, precisions) are kept free of characters JSON escapes by their
-- CHECK constraints or the vocabulary; every other text goes through to_json. Each object is one format()
-- call, written into one buffer: a chain of || copies the growing text at every step and cost more.
CREATE FUNCTION municipality_profile_json(p_id text, p_day date, p_private boolean, p_display text, p_script text,
                                          OUT document text, OUT version integer, OUT region_code text,
                                          OUT region_label text)
RETURNS SETOF record LANGUAGE plpgsql STABLE AS $$
DECLARE
    f           jsonb;
    year_fmt    text;
    month_fmt   text;
    month_names text[];
    day_fmt     text;
    day_names   text[];
    padded      boolean;
BEGIN
    SELECT d.fragments || '{}'::jsonb INTO f FROM display_language d WHERE d.key = p_display;
    IF f IS NULL THEN
        RAISE EXCEPTION 'no display fragments for %', p_display USING ERRCODE = 'RGD01';
    END IF;
    year_fmt := f ->> 'date:year';
    month_fmt := f ->> 'date:month';
    month_names := ARRAY(SELECT f ->> ('date:month:' || m) FROM generate_series(1, 12) m);
    day_fmt := f ->> 'date:day';
    day_names := ARRAY(SELECT f ->> ('date:day:' || m) FROM generate_series(1, 12) m);
    padded := f ? 'date:day_padded';
    RETURN QUERY
    SELECT format('{"id":"%s","version":%s,"curated":%s,"note":%s,"as_of":"%s","as_of_display":"%s","country":"%s","country_name":%s,"national_code":%s,"kind":"%s"%s,"region":%s,"parent_id":%s,"counted":%s,"sub_units":%s,"name_local":%s,"name_latin":%s,"name_variants":%s,"population":%s,"population_year":%s,"area_km2":%s,"degurba":%s,"roster_source_id":%s,"identifiers":[%s],"adoptions":[%s],"awards":[%s],"programmes":[%s],"sources":[%s],"name":%s}',
            m.id,
            m.version,
            m.curated::text,
            coalesce(to_json(m.note)::text, 'null'),
            to_char(p_day, 'YYYY-MM-DD'),
            display_day(p_day, day_fmt, day_names, padded),
            m.country_code,
            coalesce(f ->> ('country:' || m.country_code), 'null'),
            coalesce(to_json(m.national_code)::text, 'null'),
            m.kind,
            ',"kind_label":' || (f ->> ('kind:' || m.kind)),
            coalesce(reg.json, 'null'),
            coalesce(to_json(m.parent_id)::text, 'null'),
            m.counted::text,
            to_json(ARRAY(SELECT c.id FROM municipality c WHERE c.parent_id = m.id ORDER BY c.id)),
            to_json(m.name_local),
            to_json(m.name_latin),
            coalesce(to_json(m.name_variants)::text, 'null'),
            coalesce(m.population || ',"population_display":"' || display_number(m.population, f) || '"', 'null'),
            coalesce(m.population_year::text, 'null'),
            coalesce(m.area_km2::float8 || ',"area_km2_display":"' || display_number(m.area_km2, f) || '"', 'null'),
            coalesce(m.degurba::text, 'null'),
            coalesce(to_json(m.roster_source_id)::text, 'null'),
            (SELECT string_agg(format('{"scheme":%s%s,"value":%s}',
            to_json(i.scheme),
            ',"scheme_label":' || (f ->> ('scheme:' || i.scheme)),
            to_json(i.value)), ',' ORDER BY i.scheme, i.value)
                             FROM municipality_identifier i WHERE i.municipality_id = m.id),
            (SELECT string_agg(format('{"id":%s,"model":"%s"%s,"model_name":%s,"model_kind":"%s"%s,"scope":%s,"note":%s,"status":%s,"status_since":%s,"status_reason":%s,"valid_until":%s,"edition":%s,"edition_inferred":%s,"last_audit":%s,"next_due":%s,"overdue":%s,"events":[%s]}',
            a.id,
            a.model_code,
            ',"model_label":' || (f ->> ('model:' || a.model_code)),
            to_json(mo.name),
            mo.kind,
            ',"model_kind_label":' || (f ->> ('model_kind:' || mo.kind)),
            coalesce(to_json(nullif(a.scope, ''))::text, 'null'),
            coalesce(to_json(a.note)::text, 'null'),
            coalesce('"' || st.status || '"' || coalesce(',"status_label":' || (f ->> ('status:' || st.status)), ''), 'null'),
            coalesce('"' || partial_date(st.since, st.since, st.since_precision) || '","status_since_display":"'
                                             || display_partial(st.since, st.since, st.since_precision, year_fmt, month_fmt, month_names, day_fmt, day_names, padded) || '"', 'null'),
            coalesce('"' || st.reason || '"' || coalesce(',"status_reason_label":' || (f ->> ('status_reason:' || st.reason)), ''), 'null'),
            coalesce('"' || to_char(st.valid_until, 'YYYY-MM-DD') || '","valid_until_display":"' || display_day(st.valid_until, day_fmt, day_names, padded) || '"', 'null'),
            coalesce(to_json(st.edition_code)::text, 'null'),
            coalesce(st.edition_inferred::text, 'null'),
            coalesce('"' || to_char(st.last_audit, 'YYYY-MM-DD') || '","last_audit_display":"' || display_day(st.last_audit, day_fmt, day_names, padded) || '"', 'null'),
            coalesce('"' || to_char(st.next_due, 'YYYY-MM-DD') || '","next_due_display":"' || display_day(st.next_due, day_fmt, day_names, padded) || '"', 'null'),
            coalesce(st.overdue::text, 'null'),
            (SELECT string_agg(format('{"id":%s,"type":"%s"%s,"date":%s,"date_precision":"%s"%s,"edition":%s,"body":%s,"certificate_number":%s,"valid_until":%s,"major_nonconformities":%s,"minor_nonconformities":%s,"evidence_level":%s,"score":%s,"public":%s,"note":%s,"source_id":%s,"quote":%s,"unsourced":%s}',
            e.id,
            e.type,
            ',"type_label":' || (f ->> ('type:' || e.type)),
            coalesce('"' || partial_date(e.date_from, e.date_to, e.date_precision) || '","date_display":"'
                                             || display_partial(e.date_from, e.date_to, e.date_precision, year_fmt, month_fmt, month_names, day_fmt, day_names, padded) || '"', 'null'),
            e.date_precision,
            ',"date_precision_label":' || (f ->> ('date_precision:' || e.date_precision)),
            coalesce(to_json(e.edition_code)::text, 'null'),
            coalesce('{"id":' || to_json(b.id) || ',"name":' || to_json(b.name) || '}', 'null'),
            coalesce(to_json(e.certificate_number)::text, 'null'),
            coalesce('"' || to_char(e.valid_until, 'YYYY-MM-DD') || '","valid_until_display":"' || display_day(e.valid_until, day_fmt, day_names, padded) || '"', 'null'),
            coalesce(e.major_nonconformities::text, 'null'),
            coalesce(e.minor_nonconformities::text, 'null'),
            coalesce('"' || e.evidence_level || '"' || coalesce(',"evidence_level_label":' || (f ->> ('evidence_level:' || e.evidence_level)), ''), 'null'),
            coalesce(e.score::float8::text, 'null'),
            e.public::text,
            coalesce(to_json(e.note)::text, 'null'),
            coalesce(to_json(e.source_id)::text, 'null'),
            coalesce(to_json(e.quote)::text, 'null'),
            e.unsourced::text),
                        ',' ORDER BY e.date_from NULLS LAST, e.date_to, e.id)
                    FROM event e LEFT JOIN body b ON b.id = e.body_id WHERE e.adoption_id = a.id AND (e.public OR p_private))), ',' ORDER BY a.model_code, a.scope)
            FROM adoption a CROSS JOIN LATERAL adoption_state_on(a.id, p_day) st
            JOIN model mo ON mo.code = a.model_code
            WHERE a.municipality_id = m.id),
            (SELECT string_agg(format('{"id":%s,"scheme":"%s"%s,"scheme_name":%s,"year":%s,"edition":%s,"category":%s,"level":%s,"date":%s,"date_precision":"%s"%s,"body":%s,"public":%s,"note":%s,"source_id":%s,"quote":%s,"unsourced":%s}',
            aw.id,
            aw.scheme_code,
            ',"scheme_label":' || (f ->> ('scheme:' || aw.scheme_code)),
            to_json(mo.name),
            coalesce(aw.year::text, 'null'),
            coalesce(to_json(aw.edition)::text, 'null'),
            coalesce(to_json(aw.category)::text, 'null'),
            coalesce('"' || aw.level || '"' || coalesce(',"level_label":' || (f ->> ('level:' || aw.level)), ''), 'null'),
            coalesce('"' || partial_date(aw.date_from, aw.date_to, aw.date_precision) || '","date_display":"'
                                     || display_partial(aw.date_from, aw.date_to, aw.date_precision, year_fmt, month_fmt, month_names, day_fmt, day_names, padded) || '"', 'null'),
            aw.date_precision,
            ',"date_precision_label":' || (f ->> ('date_precision:' || aw.date_precision)),
            coalesce('{"id":' || to_json(b.id) || ',"name":' || to_json(b.name) || '}', 'null'),
            aw.public::text,
            coalesce(to_json(aw.note)::text, 'null'),
            coalesce(to_json(aw.source_id)::text, 'null'),
            coalesce(to_json(aw.quote)::text, 'null'),
            aw.unsourced::text), ',' ORDER BY aw.year, aw.id)
            FROM award aw JOIN model mo ON mo.code = aw.scheme_code LEFT JOIN body b ON b.id = aw.body_id
            WHERE aw.municipality_id = m.id AND (aw.public OR p_private)),
            (SELECT string_agg(format('{"id":%s,"name":%s,"model":%s,"joined":%s,"source_id":%s,"quote":%s}',
            to_json(p.id),
            to_json(p.name),
            coalesce('"' || p.model_code || '"' || coalesce(',"model_label":' || (f ->> ('model:' || p.model_code)), ''), 'null'),
            coalesce('"' || partial_date(pm.joined_from, pm.joined_to, pm.joined_precision) || '","joined_display":"'
                                       || display_partial(pm.joined_from, pm.joined_to, pm.joined_precision, year_fmt, month_fmt, month_names, day_fmt, day_names, padded) || '"', 'null'),
            coalesce(to_json(pm.source_id)::text, 'null'),
            coalesce(to_json(pm.quote)::text, 'null')),
                ',' ORDER BY p.id)
            FROM programme_member pm JOIN programme p ON p.id = pm.programme_id
            WHERE pm.municipality_id = m.id),
            (SELECT string_agg(format('{"id":%s,"title":%s,"publisher":%s,"language":%s,"url":%s,"document":%s,"published_on":%s,"seen_on":%s}',
            to_json(s.id),
            to_json(s.title),
            coalesce(to_json(s.publisher)::text, 'null'),
            coalesce(to_json(s.language)::text, 'null'),
            coalesce(to_json(s.url)::text, 'null'),
            coalesce(to_json(s.document)::text, 'null'),
            coalesce('"' || partial_date(s.published_on, s.published_on, s.published_precision)
                                             || '","published_on_display":"'
                                             || display_partial(s.published_on, s.published_on, s.published_precision, year_fmt, month_fmt, month_names, day_fmt, day_names, padded) || '"', 'null'),
            coalesce('"' || to_char(s.seen_on, 'YYYY-MM-DD') || '","seen_on_display":"' || display_day(s.seen_on, day_fmt, day_names, padded) || '"', 'null')), ',' ORDER BY s.id)
            FROM source s
            WHERE s.id IN (SELECT e.source_id FROM event e JOIN adoption ad ON ad.id = e.adoption_id
                           WHERE ad.municipality_id = m.id AND (e.public OR p_private)
                           UNION SELECT aw.source_id FROM award aw WHERE aw.municipality_id = m.id AND (aw.public OR p_private)
                           UNION SELECT pm.source_id FROM programme_member pm WHERE pm.municipality_id = m.id
                           UNION SELECT m.roster_source_id)),
            to_json(place_name(m.name_local, m.name_latin, m.country_code, p_script))),
        m.version, reg.code, reg.label
    FROM municipality m
    LEFT JOIN LATERAL (
        -- decorate() gives a region of a kind it knows a label, at the end; any other region its name
        SELECT r.code, CASE WHEN f ? ('region_kind:' || r.kind) THEN to_json(coalesce(nullif(r.name_local, ''), r.code))::text END AS label,
               format('{"code":%s,"kind":%s%s,"name_local":%s,"name_latin":%s%s}',
            to_json(r.code),
            to_json(r.kind),
            ',"kind_label":' || (f ->> ('kind:' || r.kind)),
            coalesce(to_json(r.name_local)::text, 'null'),
            coalesce(to_json(r.name_latin)::text, 'null'),
            CASE WHEN f ? ('region_kind:' || r.kind) THEN ',"label":' || to_json(coalesce(nullif(r.name_local, ''), r.code))
                           WHEN r.name_local IS NOT NULL AND r.name_latin IS NOT NULL
                           THEN ',"name":' || to_json(place_name(r.name_local, r.name_latin, NULL, p_script)) END) AS json
        FROM region r WHERE r.code = m.region_code) reg ON true
    WHERE m.id = p_id;
END
$$;
