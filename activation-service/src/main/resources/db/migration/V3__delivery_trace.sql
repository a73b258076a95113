-- The W3C trace context of the membership change a delivery carries: its channel call continues that trace.
ALTER TABLE delivery ADD COLUMN trace_parent TEXT;
