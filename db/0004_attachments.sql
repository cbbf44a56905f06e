-- Digitized papers and results (issue 9). The files live outside SQLite, content-addressed by
-- SHA-256 (counter_app.services.attachments); these tables hold what is needed to find, check,
-- count and later upload them.

-- Projection of the dossier's attach / detach / arrange events (counter_app.domain.attachments.fold);
-- rebuilt identically from the events by counter_app.store.attachments.rebuild_attachments.
CREATE TABLE attachments (
    id              TEXT PRIMARY KEY,           -- UUIDv7 made by the attach event
    dossier_num     INTEGER NOT NULL REFERENCES dossiers (num),
    sha256          TEXT NOT NULL,              -- the stored file (a PDF)
    document        INTEGER,                    -- index into the receive event's "documents"; NULL = the result
    pages           INTEGER NOT NULL,
    bytes           INTEGER NOT NULL,
    mime            TEXT NOT NULL,
    original_name   TEXT NOT NULL,
    source_sha256   TEXT NOT NULL,              -- what the officer gave (equals sha256 for a PDF)
    original_sha256 TEXT,                       -- kept original image (setting keep_originals = 1)
    conversion      TEXT NOT NULL,
    ord             INTEGER NOT NULL,
    rotation        INTEGER NOT NULL CHECK (rotation IN (0, 90, 180, 270)),
    attached_at     TEXT NOT NULL,
    attached_by     TEXT NOT NULL,
    attach_seq      INTEGER NOT NULL,
    removed_at      TEXT,                       -- NULL while attached; the file stays after a removal
    removed_by      TEXT,
    updated_seq     INTEGER NOT NULL
);
CREATE INDEX attachments_dossier ON attachments (dossier_num, ord);
CREATE INDEX attachments_sha ON attachments (sha256);

-- Files present in this counter's store; local state, not a projection. `upload` is for the later
-- sync of file contents (the events carry only the hash): pending until the server has the bytes.
CREATE TABLE attachment_files (
    sha256     TEXT PRIMARY KEY,
    bytes      INTEGER NOT NULL,
    mime       TEXT NOT NULL,
    stored_at  TEXT NOT NULL,
    upload     TEXT NOT NULL DEFAULT 'pending' CHECK (upload IN ('pending', 'sending', 'acknowledged'))
) WITHOUT ROWID;
CREATE INDEX attachment_files_upload ON attachment_files (upload) WHERE upload <> 'acknowledged';
