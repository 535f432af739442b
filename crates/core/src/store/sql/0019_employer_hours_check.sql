-- The employer's latest word on an hours entry (apprenticeship::EmployerCheck as JSON),
-- given through their one-time link on the centre; NULL until they answer.
ALTER TABLE hours_entry ADD COLUMN employer_check TEXT;
