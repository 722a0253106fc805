-- Reassessments of AEO certificates (monitoring, issue 11): each one customs records on a
-- certificate in force, with what it found; the certificate's reassessment_due then moves on by
-- the configured interval. The list of certificates due reads them by status and due day.
CREATE TABLE aeo_reassessments (
    id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    certificate_id BIGINT  NOT NULL REFERENCES aeo_certificates (id),
    done_on        BIGINT  NOT NULL,
    findings       TEXT    NOT NULL,
    next_due       BIGINT  NOT NULL,
    done_by        BIGINT  NOT NULL REFERENCES users (id),
    done_at        BIGINT  NOT NULL
);
CREATE INDEX aeo_reassessments_certificate ON aeo_reassessments (certificate_id, id);
CREATE INDEX aeo_certificates_reassessment ON aeo_certificates (status, reassessment_due);
