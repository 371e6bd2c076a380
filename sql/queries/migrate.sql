-- name: create_migration_tables
-- What `migrate` records (registry/db.py): the numbered migrations applied, and the digest of the function files
-- last applied, so that an unchanged set is not applied again.
CREATE TABLE IF NOT EXISTS schema_migration (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS schema_functions (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    digest      text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- name: applied_migrations
SELECT version, name FROM schema_migration ORDER BY version;

-- name: record_migration
INSERT INTO schema_migration (version, name) VALUES ($1, $2);

-- name: forget_migrations_up_to
-- The rows of the migrations a baseline replaces ($1: the baseline's version), before it is recorded instead.
DELETE FROM schema_migration WHERE version <= $1;

-- name: applied_functions_digest
SELECT digest FROM schema_functions;

-- name: record_functions_digest
INSERT INTO schema_functions (digest) VALUES ($1)
ON CONFLICT (singleton) DO UPDATE SET digest = excluded.digest, applied_at = now();
