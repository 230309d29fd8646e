DROP TABLE media_files;
DROP TABLE media_items;
