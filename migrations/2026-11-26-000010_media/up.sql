-- The Multimedia section: photo albums, videos and instructions in three languages (a missing
-- translation is NULL and falls back to Turkmen), and their files. Files live on disk under
-- their sha256 (deduplicated); the database keeps what they are and their thumbnails.

CREATE TABLE media_items (
    id                 serial PRIMARY KEY,
    slug               text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) BETWEEN 3 AND 80),
    kind               text NOT NULL CHECK (kind IN ('photo', 'video', 'instruction')),
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    title_tk           text NOT NULL CHECK (title_tk <> ''),
    title_ru           text,
    title_en           text,
    summary_tk         text NOT NULL DEFAULT '',
    summary_ru         text,
    summary_en         text,
    -- Markdown; rendered to sanitized HTML when read.
    body_tk            text NOT NULL DEFAULT '',
    body_ru            text,
    body_en            text,
    tags               text[] NOT NULL DEFAULT '{}',
    -- Set when first published; the section is ordered by it (newest first), then sort_order.
    published_at       timestamptz,
    sort_order         integer NOT NULL DEFAULT 0,
    created_by         integer REFERENCES staff_users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
SELECT diesel_manage_updated_at('media_items');
CREATE INDEX media_items_public ON media_items (published_at DESC, sort_order) WHERE status = 'published';
CREATE INDEX media_items_tags ON media_items USING gin (tags);

CREATE TABLE media_files (
    id                 serial PRIMARY KEY,
    item_id            integer NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    position           integer NOT NULL DEFAULT 0,
    sha256             text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    file_type          text NOT NULL CHECK (file_type IN ('jpeg', 'png', 'webp', 'mp4', 'webm', 'pdf')),
    class              text NOT NULL CHECK (class IN ('image', 'video', 'attachment')),
    bytes              bigint NOT NULL CHECK (bytes > 0),
    width              integer,
    height             integer,
    -- [{"width": 320, "height": 240, "sha256": "..."}], JPEG, made by the server.
    thumbnails         jsonb NOT NULL DEFAULT '[]',
    original_name      text NOT NULL DEFAULT '',
    caption            text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX media_files_item ON media_files (item_id, position, id);
CREATE INDEX media_files_sha ON media_files (sha256);
