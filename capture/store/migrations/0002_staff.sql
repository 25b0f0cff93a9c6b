CREATE TABLE staff (
	id    TEXT PRIMARY KEY,
	name  TEXT NOT NULL,
	body  TEXT NOT NULL, -- capture.Staff: the PIN only as a salted hash
	stamp TEXT NOT NULL
) STRICT;
CREATE INDEX staff_name ON staff (name);
