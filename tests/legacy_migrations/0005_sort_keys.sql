-- 0005 language-aware name order. The embedded PostgreSQL has no ICU, so each municipality's name gets a
-- sort key per language, computed in registry/collation.py when names are written.
CREATE TABLE municipality_sort_key (
    municipality_id text NOT NULL REFERENCES municipality ON DELETE CASCADE,
    lang            text NOT NULL,
    name            text NOT NULL,   -- the name the key was computed from
    key             bytea NOT NULL,
    PRIMARY KEY (municipality_id, lang)
);
CREATE INDEX municipality_sort_key_order ON municipality_sort_key (lang, key, municipality_id);
