-- The single customer view's aggregates grew from six columns to a document (visits, views per category
-- and brand, cart, refunds, discounts, email, devices, location, consent per channel): one JSONB column
-- written whole with the profile. The six existing values are carried over; the new aggregates of
-- profiles recorded before this migration start from zero and become exact at the profile's next merge
-- or unmerge (which fold all its events again).
ALTER TABLE profile ADD COLUMN aggregates JSONB;
UPDATE profile SET aggregates = jsonb_strip_nulls(jsonb_build_object(
    'eventCount', event_count, 'orderCount', order_count, 'totalRevenue', total_revenue,
    'firstSeenAt', first_seen_at, 'lastSeenAt', last_seen_at, 'lastOrderAt', last_order_at));
ALTER TABLE profile ALTER COLUMN aggregates SET NOT NULL;
ALTER TABLE profile DROP COLUMN event_count, DROP COLUMN order_count, DROP COLUMN total_revenue,
    DROP COLUMN first_seen_at, DROP COLUMN last_seen_at, DROP COLUMN last_order_at;
