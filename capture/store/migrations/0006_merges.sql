-- 名寄せ: merges (undone ones kept, so an unmerge restores exactly) and links between
-- leads staff decided about. merged_into caches which active merge hides a lead from lists.
CREATE TABLE merges (
	id     TEXT PRIMARY KEY,
	keep   TEXT NOT NULL,
	undone INTEGER NOT NULL DEFAULT 0,
	body   TEXT NOT NULL
) STRICT;
CREATE INDEX merges_keep ON merges (keep) WHERE undone = 0;
CREATE TABLE links (
	id   TEXT PRIMARY KEY,
	body TEXT NOT NULL
) STRICT;
ALTER TABLE leads ADD COLUMN merged_into TEXT NOT NULL DEFAULT '';
