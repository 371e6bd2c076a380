-- Run once by `migrate` on a database built by the 27 numbered migrations that 0027_baseline.sql replaced (the
-- registry before its baseline; frozen in tests/legacy_migrations/), before it records the baseline as applied.
-- Their tables, types and indexes are the baseline's already (tests/test_migrations.py checks it); the function
-- files are applied right after. What remains is to drop what those migrations made and the baseline no longer
-- has: the query-per-call status derivation, since replaced by the status rules in Python (registry/status/).
DROP FUNCTION IF EXISTS adoption_state_query(bigint, date);
