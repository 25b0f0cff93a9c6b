-- What lists read of a lead without decoding its history: its derived permissions
-- (capture.Lead.PermissionSummary) and its rating. Empty for rows written before this
-- migration; those are read the slow way until their lead next changes.
ALTER TABLE leads ADD COLUMN perms TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN rating TEXT NOT NULL DEFAULT '';
