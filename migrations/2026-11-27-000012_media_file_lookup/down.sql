DROP INDEX media_files_thumbnails;
