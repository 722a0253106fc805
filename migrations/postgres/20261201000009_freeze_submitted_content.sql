-- Answers and evidence change only while the trader may edit the assessment (a draft, or the
-- answers reopened after an information request). The services check the status under the
-- write's lock; these triggers make the database refuse any other write as well, so no code path
-- can alter what was submitted.
CREATE FUNCTION assessment_content_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    current_status TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT status INTO current_status FROM assessments WHERE id = NEW.assessment_id;
    ELSE
        SELECT status INTO current_status FROM assessments WHERE id = OLD.assessment_id;
    END IF;
    IF current_status NOT IN ('draft', 'info_requested') THEN
        RAISE EXCEPTION 'the content of a submitted assessment cannot change';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER answers_frozen BEFORE INSERT OR UPDATE OR DELETE ON answers
    FOR EACH ROW EXECUTE FUNCTION assessment_content_frozen();
CREATE TRIGGER evidence_frozen BEFORE INSERT OR DELETE ON evidence
    FOR EACH ROW EXECUTE FUNCTION assessment_content_frozen();
