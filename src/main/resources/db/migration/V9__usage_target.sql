-- Where a use landed: the account a CloudTrail call was made in (recipientAccountId), which differs
-- from the caller's own account for cross-account calls. NHI8 reads the distinct targets of an
-- identity. '' in the aggregates (and NULL in raw events) when the log has no such notion; rows
-- stored before this column existed keep '' and their keys.
ALTER TABLE usage_daily ADD COLUMN target TEXT NOT NULL DEFAULT '';
ALTER TABLE usage_events ADD COLUMN target TEXT;
