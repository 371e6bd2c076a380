-- Named queries only the tests use (tests/conftest.py adds them to registry.db.queries); production code never
-- loads this file.

-- name: peers_knn
-- The same answer as peers_knn_scan for a country ($2) or every country ($2 NULL), without scoring every
-- candidate: the function of sql/functions/40_peers.sql (a window in ln(population) bounded by the nearest units,
-- scored from the index). NULL when population is not a used feature (the caller then uses peers_knn_scan).
SELECT peers_knn($1, $2, $3);
