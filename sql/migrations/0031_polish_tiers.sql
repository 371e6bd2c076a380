-- 0031 The tiers above the Polish gminas as roster units (issue 23; seeds/rosters/tiers_pl.csv): 314 land
-- powiats (kind county), 66 cities with powiat rights and 16 voivodeships' self-governments
-- (regional_government). A city with powiat rights is one government at two tiers: its gmina (tier
-- municipality, where its facts go) and its powiat, a unit of tier county and kind city_county whose parent is
-- that gmina.

ALTER TABLE municipality DROP CONSTRAINT municipality_kind_check;
ALTER TABLE municipality ADD CONSTRAINT municipality_kind_check CHECK (kind IN (
    'city', 'urban_municipality', 'municipality', 'city_municipality', 'rayon',
    'gmina_urban', 'gmina_urban_rural', 'gmina_rural', 'commune', 'lau_unit', 'other',
    'county', 'city_county', 'regional_government', 'agency'));
