-- A few records in the old chain's schema (migrations 1-27), written as its seed loader wrote them, for the
-- upgrade test: the data must come through the upgrade unchanged. Synthetic except Kraków's ISO/IEC 27001 dates
-- (seed document pl-krakow-iso-historia-nagrody.txt).
INSERT INTO country (code, alpha3, numeric_code, name) VALUES ('PL', 'POL', '616', 'Poland'), ('SI', 'SVN', '705', 'Slovenia');
INSERT INTO municipality (id, country_code, national_code, kind, name_local, name_latin, population, search_text)
VALUES ('pl-1261011', 'PL', '1261011', 'gmina_urban', 'Kraków', 'Kraków', 800000, '|krakow|'),
       ('si-050', 'SI', '050', 'urban_municipality', 'Koper', 'Koper', 53000, '|koper|');
INSERT INTO model (code, name, kind, lifecycle, cycle_months) VALUES
    ('ISO9001', 'ISO 9001', 'certifiable_standard', 'certification', 36),
    ('ISO27001', 'ISO/IEC 27001', 'certifiable_standard', 'certification', 36),
    ('PNJ', 'Polska Nagroda Jakości', 'award_scheme', 'award', NULL);
INSERT INTO source (id, document, title, language) VALUES ('legacy-doc', 'seeds/documents/x.txt', 'A document', 'pl');
INSERT INTO adoption (municipality_id, model_code, scope) VALUES ('pl-1261011', 'ISO27001', ''), ('si-050', 'ISO9001', '');
INSERT INTO event (adoption_id, type, date_from, date_to, date_precision, model_code, evidence_level,
                   source_id, quote, valid_until)
SELECT a.id, v.type, v.d_from::date, v.d_to::date, v.prec, a.model_code,
       'third_party_certificate', 'legacy-doc', 'quote', v.valid_until::date
FROM adoption a JOIN (VALUES
    ('pl-1261011', 'certification', '2012-04-20', '2012-04-20', 'day', NULL),
    ('pl-1261011', 'recertification', '2015-03-12', '2015-03-13', 'range', '2018-04-19'),
    ('pl-1261011', 'surveillance', '2016-03-01', '2016-03-31', 'month', NULL),
    ('si-050', 'certification', '2003-01-01', '2003-12-31', 'year', NULL)) v(m, type, d_from, d_to, prec, valid_until)
  ON v.m = a.municipality_id;
INSERT INTO award (municipality_id, scheme_code, year, level, date_from, date_to, date_precision, source_id, quote)
VALUES ('pl-1261011', 'PNJ', 2014, 'laureate', '2014-11-11', '2014-11-11', 'day', 'legacy-doc', 'quote');
