-- The op log is the truth; every other table is a cache of capture.Apply over it.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE ops (
	seq       INTEGER PRIMARY KEY AUTOINCREMENT,
	op_id     TEXT NOT NULL UNIQUE,
	device_id TEXT NOT NULL,
	hlc       INTEGER NOT NULL,
	kind      TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	payload   BLOB NOT NULL -- sealed: may hold personal data
) STRICT;

CREATE TABLE org (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	body  TEXT NOT NULL,
	stamp TEXT NOT NULL
) STRICT;

CREATE TABLE notices (
	id         TEXT PRIMARY KEY,
	version    INTEGER NOT NULL,
	supersedes TEXT NOT NULL DEFAULT '',
	hash       TEXT NOT NULL,
	body       TEXT NOT NULL
) STRICT;
CREATE INDEX notices_hash ON notices (hash);

CREATE TABLE events (
	id        TEXT PRIMARY KEY,
	date      TEXT NOT NULL,
	notice_id TEXT NOT NULL,
	body      TEXT NOT NULL,
	stamp     TEXT NOT NULL
) STRICT;

CREATE TABLE leads (
	id               TEXT PRIMARY KEY,
	personal         BLOB NOT NULL, -- sealed Person
	email_key        TEXT NOT NULL DEFAULT '',
	phone_key        TEXT NOT NULL DEFAULT '',
	mobile_key       TEXT NOT NULL DEFAULT '',
	name_company_key TEXT NOT NULL DEFAULT '',
	search           TEXT NOT NULL DEFAULT '',
	state            TEXT NOT NULL, -- grants, revokes, stamps, counts: nothing personal
	erased           INTEGER NOT NULL DEFAULT 0,
	last_seen        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX leads_email ON leads (email_key) WHERE email_key <> '';
CREATE INDEX leads_phone ON leads (phone_key) WHERE phone_key <> '';
CREATE INDEX leads_mobile ON leads (mobile_key) WHERE mobile_key <> '';
CREATE INDEX leads_name_company ON leads (name_company_key) WHERE name_company_key <> '';
CREATE INDEX leads_last_seen ON leads (last_seen);

CREATE TABLE captures (
	id          TEXT PRIMARY KEY,
	lead_id     TEXT NOT NULL,
	event_id    TEXT NOT NULL,
	hlc         INTEGER NOT NULL,
	at          TEXT NOT NULL, -- RFC 3339 in the capturing device's local time
	day         TEXT NOT NULL, -- the local date of at, for counts per day
	staff       TEXT NOT NULL DEFAULT '',
	source      TEXT NOT NULL,
	evidence    TEXT NOT NULL, -- the capture without its personal fields
	personal    BLOB NOT NULL  -- sealed person, answers and note
) STRICT;
CREATE INDEX captures_event ON captures (event_id, lead_id);
CREATE INDEX captures_lead ON captures (lead_id, hlc);
