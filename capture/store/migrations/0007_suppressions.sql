-- Keyed hashes of erased people's emails and phones (never the values): a later capture of
-- the same person is stopped until staff confirm fresh consent.
CREATE TABLE suppressions (
	key  TEXT PRIMARY KEY,
	body TEXT NOT NULL
) STRICT;
