-- Exact inputs (issue 7 §2).
--
-- 1. A file is attached to a question once: the same bytes (same SHA-256) uploaded again to the
--    same question of the same assessment are acknowledged, not stored twice. Copies stored
--    before this rule are identical to the first upload byte for byte, so the later copies go
--    (submission records keep their own canonical content and hashes, which do not change).
DELETE FROM evidence
WHERE EXISTS (
    SELECT 1 FROM evidence first
    WHERE first.assessment_id = evidence.assessment_id
      AND first.question_key = evidence.question_key
      AND first.sha256 = evidence.sha256
      AND first.id < evidence.id
);
CREATE UNIQUE INDEX evidence_once_per_question ON evidence (assessment_id, question_key, sha256);

-- 2. Case-insensitive search of legal names in every script: SQLite's LOWER() folds ASCII only,
--    so the application stores the name lower-cased with Rust's full Unicode rules and searches
--    this column. Existing rows start empty and are filled when the server starts (after
--    migrating, see `organisation::db::fold_legal_names`); a legal name is never empty, so an
--    empty value means "not folded yet".
ALTER TABLE organisations ADD COLUMN legal_name_folded TEXT NOT NULL DEFAULT '';
