-- A file is served to the public only when an item showing it (as itself or as a thumbnail) is
-- published: each file request now asks, by sha256 or inside the thumbnails' JSON.
CREATE INDEX media_files_thumbnails ON media_files USING gin (thumbnails jsonb_path_ops);
