-- 0026 Seeds are initial data: loaded once, then only what changed in the seed files is applied, as changes
-- a curator can see, never over a curator's edit (registry/seed.py).
--
-- seed_state holds the digest of the seed files last applied: a restart with the same files does nothing.
-- seed_record remembers, per seeded record, the digest of what the seed gave and the record's version right
-- after the seed wrote it: a changed seed is applied with that version as If-Match, so a record a curator
-- has changed or deleted since is left as the curator left it. Events and awards were matched by a
-- seed_key column; those keys move into the ledger (with an empty digest, so the next load compares them).
CREATE TABLE seed_state (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    digest      text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE seed_record (
    key         text PRIMARY KEY,      -- e.g. 'event:<source>/<municipality>/<model>/<type>/<date>'
    entity      text NOT NULL,         -- as in the change feed: event, award, source, body, ...
    entity_id   text NOT NULL,
    digest      text NOT NULL,         -- of the values the seed last gave
    version     integer,               -- the record's version when the seed last wrote it
    seeded      jsonb                  -- the values the seed wrote, where a change is merged (municipality names)
);

INSERT INTO seed_record (key, entity, entity_id, digest, version)
SELECT 'event:' || seed_key, 'event', id::text, '', version FROM event WHERE seed_key IS NOT NULL;
INSERT INTO seed_record (key, entity, entity_id, digest, version)
SELECT 'award:' || seed_key, 'award', id::text, '', version FROM award WHERE seed_key IS NOT NULL;

ALTER TABLE event DROP COLUMN seed_key;
ALTER TABLE award DROP COLUMN seed_key;
