-- 0015 the data version announced: every bump also notifies channel registry_data_version (delivered when
-- the transaction commits), so a server can know the current version without reading it per request
-- (registry/cache.py, VersionWatch).
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
