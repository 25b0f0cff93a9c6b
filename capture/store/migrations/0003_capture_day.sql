-- The capture screen's header counts today's captures of the current event after every save.
CREATE INDEX captures_event_day ON captures (event_id, day);
