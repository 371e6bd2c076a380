-- The data version (table data_version): every statement that changes facts, rosters, rules or spans bumps it and
-- notifies channel registry_data_version (delivered when the transaction commits), so a server knows the current
-- version without reading it per request and reuses computed answers until it changes (registry/cache.py).
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1 RETURNING version INTO v;
    PERFORM pg_notify('registry_data_version', v::text);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER event_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE OR REPLACE TRIGGER adoption_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoption
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE OR REPLACE TRIGGER award_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON award
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE OR REPLACE TRIGGER municipality_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipality
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE OR REPLACE TRIGGER programme_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programme
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE OR REPLACE TRIGGER programme_member_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programme_member
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE OR REPLACE TRIGGER edition_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON edition
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE OR REPLACE TRIGGER model_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON model
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE OR REPLACE TRIGGER country_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON country
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE OR REPLACE TRIGGER span_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoption_status_span
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
