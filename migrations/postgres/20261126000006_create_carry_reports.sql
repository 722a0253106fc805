-- Drafts moved to a newer version of their template when it was published, and what could not be
-- carried: each answer (its previous value as JSON) or evidence file (its name) left behind, and why.

CREATE TABLE carry_moves (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id    BIGINT  NOT NULL REFERENCES assessments (id),
    from_template_id BIGINT  NOT NULL REFERENCES templates (id),
    to_template_id   BIGINT  NOT NULL REFERENCES templates (id),
    carried          BIGINT  NOT NULL,
    moved_at         BIGINT  NOT NULL
);
CREATE INDEX carry_moves_assessment ON carry_moves (assessment_id);
CREATE INDEX carry_moves_template ON carry_moves (to_template_id);

CREATE TABLE carry_reports (
    move_id      BIGINT  NOT NULL REFERENCES carry_moves (id),
    question_key TEXT    NOT NULL,
    item         TEXT    NOT NULL CHECK (item IN ('answer', 'evidence')),
    reason       TEXT    NOT NULL CHECK (reason IN ('question_removed', 'type_changed', 'option_removed', 'no_longer_valid')),
    previous     TEXT    NOT NULL
);
CREATE INDEX carry_reports_move ON carry_reports (move_id);
