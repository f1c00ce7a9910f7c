-- Application rules of issue 10. Owned by package application. Keep in
-- step with the other dialect's 0006_application_rules.sql.

-- Neni 28–29: a fee receipt pays one candidate's fee, once, in any year.
-- receipt_key is the receipt number as it is compared: upper case, no
-- spaces. Where forms stored before this migration share a key, only the
-- first (lowest id) holds it, so that the index can be built; the others
-- keep their number and are left without a key.
ALTER TABLE a2_forms ADD COLUMN receipt_key TEXT;
UPDATE a2_forms SET receipt_key = UPPER(REPLACE(receipt_no, ' ', ''))
    WHERE id IN (SELECT MIN(id) FROM a2_forms GROUP BY UPPER(REPLACE(receipt_no, ' ', '')));
CREATE UNIQUE INDEX a2_forms_receipt_key ON a2_forms(receipt_key);

-- Neni 22 ¶1–2: the day a paper form was handed in to the school
-- (YYYY-MM-DD), and whether the form was accepted after its deadline.
ALTER TABLE applications ADD COLUMN handed_in TEXT;
ALTER TABLE applications ADD COLUMN late BOOLEAN NOT NULL DEFAULT FALSE;

-- Neni 23–26, 33: the year the candidate finished secondary school (the
-- end of that school year), as the KMSH read it from the documents.
ALTER TABLE applications ADD COLUMN graduation_year INTEGER;
