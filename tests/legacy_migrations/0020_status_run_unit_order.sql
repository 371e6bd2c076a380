-- 0020 A unit's status runs in the order a list page shows its adoptions (model, then adoption), so the page
-- reads them from the index already sorted instead of sorting each unit's runs (list pages ~15 % less
-- database time on the benchmark data; the index is also smaller, 82 MB against 100 MB there).
DROP INDEX adoption_status_run_unit;
CREATE INDEX adoption_status_run_unit ON adoption_status_run (municipality_id, model_code, adoption_id)
    INCLUDE (status, valid_from, valid_to);
