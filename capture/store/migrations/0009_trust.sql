-- The leads an op names besides its entity (a merge's, a link's, an audit record's), so that
-- an erasure finds every op that holds something about the person. A capture's lead is in
-- the captures table.
CREATE TABLE op_leads (
	lead_id TEXT NOT NULL,
	op_id   TEXT NOT NULL,
	PRIMARY KEY (lead_id, op_id)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO op_leads (lead_id, op_id)
	SELECT json_extract(payload, '$.keep'), op_id FROM ops WHERE kind = 'lead.merge'
	UNION ALL SELECT j.value, ops.op_id FROM ops, json_each(ops.payload, '$.others') j WHERE kind = 'lead.merge'
	UNION ALL SELECT j.value, ops.op_id FROM ops, json_each(ops.payload, '$.leads') j WHERE kind IN ('lead.link', 'export.record')
	UNION ALL SELECT json_extract(payload, '$.lead'), op_id FROM ops WHERE kind = 'request.record' AND json_extract(payload, '$.lead') <> '';

-- Ops received that this device could not apply, and its own ops the server refused: kept
-- aside with the reason, so that one bad op never blocks the rest of the log.
-- Only the envelope is kept, never the payload: nothing personal outlives an erasure here.
CREATE TABLE set_aside (
	op_id     TEXT PRIMARY KEY,
	kind      TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	device_id TEXT NOT NULL,
	hlc       INTEGER NOT NULL,
	local     INTEGER NOT NULL, -- 1: made here and refused by the server
	reason    TEXT NOT NULL,
	at        TEXT NOT NULL
) STRICT;
