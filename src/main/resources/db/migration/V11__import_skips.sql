-- Records an import could not understand and left out (issue 13): how many, and the first 1,000
-- as a JSON array of {file, pointer, reason}. Runs recorded before this migration skipped nothing.
ALTER TABLE import_runs ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_runs ADD COLUMN skips TEXT NOT NULL DEFAULT '[]';
