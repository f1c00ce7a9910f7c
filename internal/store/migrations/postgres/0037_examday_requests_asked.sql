-- What a check-in asked (package examday, checkin_batch.go askedOf: the
-- person, the room, the document), kept with its key's answer: a key sent
-- again gets its first answer only for the same check-in. Answers stored
-- before have asked ''. Owned by package examday. Keep in step with the
-- other dialect's 0037_examday_requests_asked.sql.
ALTER TABLE examday_requests ADD COLUMN asked TEXT NOT NULL DEFAULT '';
