-- 0021 Named row types for the arrays compare_municipalities sends. An anonymous ROW() travels with the type
-- of each of its fields and is decoded field by field through a lookup of that type; a named composite is
-- described once per connection and decoded with its fields' codecs known in advance. On the benchmark data
-- (10 municipalities, ~33 adoptions per comparison) the API process spent 40-110 µs less per comparison
-- decoding the rows, and PostgreSQL no more writing them.
CREATE TYPE compare_model AS (
    model text, model_name text, status text, since date, since_precision text, edition text,
    edition_inferred boolean, valid_until date, last_audit date, next_due date, overdue boolean, first_adopted date
);
CREATE TYPE compare_award AS (scheme text, year smallint, level text, category text, source_id text);
CREATE TYPE compare_label AS (model text, date_from date, date_to date, date_precision text, body text, source_id text);
CREATE TYPE compare_programme AS (
    id text, name text, model text, joined_from date, joined_to date, joined_precision text
);
