-- Indexes that no query reads but every ingested row paid for. Raw events are only ever deleted by
-- age (usage_events_at serves that); nothing reads them by principal. Aggregates are read by
-- identity (usage_daily_principal) and written by key (the primary key); nothing reads them by
-- credential. At 10,000,000 events these two cost a random B-tree insert per raw event and per
-- aggregate, and most of the store's size.
DROP INDEX usage_events_principal;
DROP INDEX usage_daily_credential;
