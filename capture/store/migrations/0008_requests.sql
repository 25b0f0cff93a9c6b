-- The audit log of individuals' requests: lead ids and dates, no personal data.
CREATE TABLE requests (
	id   TEXT PRIMARY KEY,
	at   TEXT NOT NULL,
	body TEXT NOT NULL
) STRICT;
