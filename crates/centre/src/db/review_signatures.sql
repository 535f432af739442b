-- Issue 16: each progress review's signature log, the core's signature events as a JSON
-- array. The learner signs on the phone, the employer by a one-time link, the provider here.
ALTER TABLE progress_reviews ADD COLUMN signatures TEXT NOT NULL DEFAULT '[]'
