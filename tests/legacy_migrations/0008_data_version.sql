-- 0008 a data version: one counter that every statement changing facts, rosters or rules increments, so
-- that answers computed from the data can be reused exactly until the data changes (registry/cache.py).
CREATE TABLE data_version (
    id      smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO data_version VALUES (1, 1);

CREATE FUNCTION bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER event_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER adoption_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoption
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER award_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON award
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER municipality_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipality
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER programme_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programme
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER programme_member_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programme_member
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER edition_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON edition
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER model_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON model
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER country_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON country
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER span_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoption_status_span
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
