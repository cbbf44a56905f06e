-- File contents of digitized papers (issue 9). The bytes live on the filesystem, content-addressed
-- by SHA-256 (district_server.attachments); these tables say which files are complete and how far
-- each commune's upload of a file has come. Access is decided by the attach events: a commune may
-- upload or read a file only when one of its own dossiers' attach events names its hash.

-- Files complete on disk, verified against their hash. One row per content, whoever sent it.
CREATE TABLE files (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes      bigint NOT NULL CHECK (bytes > 0),
    stored_at  timestamptz NOT NULL DEFAULT now(),
    stored_by  text NOT NULL                     -- device that completed it
);

-- Resumable uploads, one per (commune, file). The offset is not stored: it is the size of the
-- partial file, so it can never claim bytes the disk does not hold.
CREATE TABLE file_uploads (
    commune_id     integer NOT NULL REFERENCES communes (id),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes          bigint NOT NULL CHECK (bytes > 0),
    device_id      text NOT NULL,
    received_bytes bigint NOT NULL DEFAULT 0,    -- body bytes written, restarts included (overhead)
    hash_failures  integer NOT NULL DEFAULT 0,
    started_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz,
    PRIMARY KEY (commune_id, sha256)
);

-- "Does an attach event of this commune name this hash?" — asked once per upload session and per
-- download; the attach payload carries the stored file's hash and, optionally, the original's.
CREATE INDEX events_attach_sha ON events ((payload ->> 'sha256'), commune_id) WHERE action = 'attach';
CREATE INDEX events_attach_original ON events ((payload -> 'original' ->> 'sha256'), commune_id)
    WHERE action = 'attach';
