-- The latest (or first) receipt of an assessment, a disclosure or an AEO application is read as
-- `WHERE <owner> = $1 ORDER BY id DESC LIMIT 1`. With an index on the owner alone, PostgreSQL
-- without fresh statistics walked the primary key backwards through every submission instead
-- (4.7 ms per disclosure page at 10,000 submissions); on (owner, id) it is one index probe on
-- either engine, and the old single-column indexes are redundant beside the new ones.
CREATE INDEX submissions_assessment_latest ON submissions (assessment_id, id);
DROP INDEX submissions_assessment;
CREATE INDEX disclosure_submissions_latest ON disclosure_submissions (disclosure_id, id);
DROP INDEX disclosure_submissions_disclosure;
CREATE INDEX aeo_submissions_latest ON aeo_submissions (application_id, id);
DROP INDEX aeo_submissions_application;
