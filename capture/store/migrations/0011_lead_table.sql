-- The lead table sorts, filters and counts every lead in SQL, a page at a time.
-- Sort keys of the personal columns (the reading, else the name; the company without its
-- legal form; title; email), derived in Go through the personal seam like search: filled
-- for existing leads by rekeyLeads.
ALTER TABLE leads ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN sort_company TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN sort_title TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN sort_email TEXT NOT NULL DEFAULT '';
-- The channels allowed, one bit each (individual contact the highest), so that a filter
-- and a sort by permission need not parse perms. Filled by rekeyLeads too.
ALTER TABLE leads ADD COLUMN allowed INTEGER NOT NULL DEFAULT 0;
-- The event and staff of the lead's latest capture, kept by the triggers below.
ALTER TABLE leads ADD COLUMN last_event TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN last_staff TEXT NOT NULL DEFAULT '';

UPDATE leads SET
	last_event = COALESCE((SELECT event_id FROM captures WHERE lead_id = leads.id ORDER BY hlc DESC, id DESC LIMIT 1), ''),
	last_staff = COALESCE((SELECT staff FROM captures WHERE lead_id = leads.id ORDER BY hlc DESC, id DESC LIMIT 1), '');

-- A capture saved, or moved by a detach, changes the latest capture of its lead (and of the
-- lead it left). Leads are saved before their captures, so the lead row is there.
CREATE TRIGGER captures_last_insert AFTER INSERT ON captures BEGIN
	UPDATE leads SET
		last_event = COALESCE((SELECT event_id FROM captures WHERE lead_id = leads.id ORDER BY hlc DESC, id DESC LIMIT 1), ''),
		last_staff = COALESCE((SELECT staff FROM captures WHERE lead_id = leads.id ORDER BY hlc DESC, id DESC LIMIT 1), '')
	WHERE id = NEW.lead_id;
END;
CREATE TRIGGER captures_last_move AFTER UPDATE OF lead_id ON captures WHEN OLD.lead_id <> NEW.lead_id BEGIN
	UPDATE leads SET
		last_event = COALESCE((SELECT event_id FROM captures WHERE lead_id = leads.id ORDER BY hlc DESC, id DESC LIMIT 1), ''),
		last_staff = COALESCE((SELECT staff FROM captures WHERE lead_id = leads.id ORDER BY hlc DESC, id DESC LIMIT 1), '')
	WHERE id IN (OLD.lead_id, NEW.lead_id);
END;

-- One index per sort, led by what every list asks (shown leads: not merged away, not erased)
-- and holding the sort's terms as LeadQuery orders by them (blanks last), so that a page is
-- read in order without sorting 100,000 rows; counting reads an index alone.
CREATE INDEX leads_list_seen ON leads (merged_into, erased, last_seen, id, rating, allowed);
CREATE INDEX leads_list_name ON leads (merged_into, erased, sort_name = '', sort_name, id);
CREATE INDEX leads_list_company ON leads (merged_into, erased, sort_company = '', sort_company, id);
CREATE INDEX leads_list_title ON leads (merged_into, erased, sort_title = '', sort_title, id);
CREATE INDEX leads_list_email ON leads (merged_into, erased, sort_email = '', sort_email, id);
CREATE INDEX leads_list_event ON leads (merged_into, erased, last_event, last_seen, id);
CREATE INDEX leads_list_staff ON leads (merged_into, erased, last_staff = '', last_staff, last_seen, id);
CREATE INDEX leads_list_rating ON leads (merged_into, erased, rating = '', rating, last_seen, id);
CREATE INDEX leads_list_allowed ON leads (merged_into, erased, allowed, last_seen, id);
-- Filters on captures, each index holding what the filter reads (event, day, staff, source)
-- and the lead, so that finding the leads a filter keeps never reads a capture row.
CREATE INDEX captures_filter_event ON captures (event_id, day, staff, source, lead_id);
CREATE INDEX captures_filter_staff ON captures (staff, day, source, lead_id);
CREATE INDEX captures_filter_source ON captures (source, day, lead_id);
CREATE INDEX captures_filter_day ON captures (day, lead_id);
-- A lead's corrections, read from the log for its detail (and for rebuilding after a detach).
CREATE INDEX ops_entity ON ops (entity_id, kind);
