-- The lookup keys are the 名寄せ matcher's blocking keys (capture/match): a company is keyed
-- by its name without the legal form, and the reading with the company is a key of its own.
-- Existing leads are keyed again from Go once (rekeyLeads), since only Go can normalise.
ALTER TABLE leads ADD COLUMN reading_company_key TEXT NOT NULL DEFAULT '';
CREATE INDEX leads_reading_company ON leads (reading_company_key) WHERE reading_company_key <> '';

-- Captures taken out of the lead they had been attached to, each into a lead of its own
-- whose id is the capture's: a wrong attach undone. The earliest detach of a capture counts.
CREATE TABLE detaches (
	capture_id TEXT PRIMARY KEY,
	from_lead  TEXT NOT NULL,
	event_id   TEXT NOT NULL,
	reason     TEXT NOT NULL,
	hlc        INTEGER NOT NULL,
	device_id  TEXT NOT NULL
) STRICT;
CREATE INDEX detaches_from ON detaches (from_lead);
