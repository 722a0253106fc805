-- A form of a disclosure the server refused (issue 9): what the user typed, kept per user,
-- disclosure and form (`line`: the line form, `header`: the header form) so the form comes back filled in after the refusal
-- (with or without JavaScript the form is a plain post, and the page that shows the errors is a
-- new page load). Removed when the form is saved. `line_id` is the line being edited, NULL for a
-- new line and for the header.
CREATE TABLE disclosure_line_stash (
    disclosure_id  INTEGER NOT NULL REFERENCES disclosures (id),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    form           TEXT    NOT NULL CHECK (form IN ('line', 'header')),
    line_id        INTEGER REFERENCES disclosure_lines (id) ON DELETE CASCADE,
    body           TEXT    NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (disclosure_id, user_id, form)
) STRICT;
