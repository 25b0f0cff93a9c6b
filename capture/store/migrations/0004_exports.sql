-- Audit and provision records of exports; export_leads answers "to whom did my data go".
CREATE TABLE exports (
	id    TEXT PRIMARY KEY,
	at    TEXT NOT NULL,
	basis TEXT NOT NULL,
	body  TEXT NOT NULL
) STRICT;
CREATE TABLE export_leads (
	export_id TEXT NOT NULL REFERENCES exports (id),
	lead_id   TEXT NOT NULL,
	PRIMARY KEY (lead_id, export_id)
) STRICT;
