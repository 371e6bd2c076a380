-- 0027 A country may lack an ISO 3166-1 numeric code: Kosovo (XK/XKX, the user-assigned code the EU uses) has
-- none, and its municipalities are seeded from seeds/rosters/municipalities_xk.csv.
ALTER TABLE country ALTER COLUMN numeric_code DROP NOT NULL;
