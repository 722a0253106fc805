-- The PCA candidate list leaves out traders whose audit closed clean: it asks which control cases
-- have counted findings. Only findings recorded from a control case carry one, so a partial index
-- answers that without reading every finding.
CREATE INDEX findings_control_case ON findings (control_case_id) WHERE control_case_id IS NOT NULL;
