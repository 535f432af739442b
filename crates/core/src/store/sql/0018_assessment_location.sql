-- Where an item was gathered or assessed (model::AssessmentLocation's stored form); NULL when
-- the learner has not said, as for every item made before it was asked.
ALTER TABLE evidence ADD COLUMN location TEXT;
