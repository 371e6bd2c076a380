-- 0006 curation: API keys with roles and country scopes, record versions for ETags, non-public facts,
-- and the audit trail that every write appends to.

CREATE TABLE api_key (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]*$'),
    role            text NOT NULL CHECK (role IN ('admin', 'editor', 'reader')),
    countries       char(2)[] NOT NULL DEFAULT '{}',     -- an editor's scope; empty for admin and reader
    secret_hash     text NOT NULL UNIQUE,                -- sha256 of the key; the key itself is never stored
    prefix          text NOT NULL,                       -- first characters, to recognise a key in lists
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    CHECK (role <> 'editor' OR cardinality(countries) > 0)
);

ALTER TABLE municipality ADD COLUMN version integer NOT NULL DEFAULT 1,
                         ADD COLUMN curated boolean NOT NULL DEFAULT false,  -- added by a curator, not a roster
                         ADD COLUMN note text;
ALTER TABLE adoption ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE event ADD COLUMN version integer NOT NULL DEFAULT 1,
                  ADD COLUMN public boolean NOT NULL DEFAULT true,
                  ADD COLUMN score numeric(5, 2) CHECK (score BETWEEN 0 AND 100);  -- e.g. a CAF self-assessment score
ALTER TABLE award ADD COLUMN version integer NOT NULL DEFAULT 1,
                  ADD COLUMN public boolean NOT NULL DEFAULT true;
ALTER TABLE programme ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE source ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE body ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE change (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    key_name        text NOT NULL,          -- who: the API key's name (or 'cli:<user>' for imports from the CLI)
    action          text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    entity          text NOT NULL,          -- municipality, adoption, event, award, programme, programme_member, source, body
    entity_id       text NOT NULL,
    municipality_id text,                   -- the municipality the fact is about, for its history
    import_id       text,                   -- the import the change came with, if any
    before          jsonb,
    after           jsonb
);
CREATE INDEX change_municipality ON change (municipality_id, id);
CREATE INDEX change_at ON change (at, id);
