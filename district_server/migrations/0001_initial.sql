-- Upper-level server, first version. Events are the truth; `dossiers` is their projection through
-- counter_app.domain.lifecycle.apply, exactly as on the counter.

CREATE TABLE communes (
    id             serial PRIMARY KEY,
    code           text NOT NULL UNIQUE,            -- agency code (mã định danh), e.g. 000.00.21.H40
    name           text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- Last per-commune event number handed out. Incremented under this row's lock, so the events a
    -- reader can see are always a gap-free prefix: the pull cursor never skips a late commit.
    last_event_seq bigint NOT NULL DEFAULT 0
);

CREATE TABLE enrollment_codes (
    code_hash   text PRIMARY KEY,                   -- sha256 of the code; the code itself is shown once
    commune_id  integer NOT NULL REFERENCES communes (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    used_by     text
);

CREATE TABLE devices (
    id            text PRIMARY KEY,                 -- the counter's own device id (UUIDv7)
    commune_id    integer NOT NULL REFERENCES communes (id),
    slot          smallint NOT NULL CHECK (slot BETWEEN 0 AND 9),
    label         text NOT NULL DEFAULT '',
    token_hash    text NOT NULL UNIQUE,
    enrollment_code_hash text NOT NULL,             -- the code that issued the current token
    enrolled_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    last_seen_at  timestamptz
);
CREATE UNIQUE INDEX devices_active_slot ON devices (commune_id, slot) WHERE revoked_at IS NULL;

-- People who read the merged view: commune_id NULL = the whole upper level (district/province).
CREATE TABLE officers (
    username    text PRIMARY KEY,
    full_name   text NOT NULL,
    commune_id  integer REFERENCES communes (id),
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE TABLE dossiers (
    id              uuid PRIMARY KEY,
    commune_id      integer NOT NULL REFERENCES communes (id),
    code            text NOT NULL UNIQUE,
    status_token    text NOT NULL DEFAULT '',
    procedure_code  text NOT NULL,
    procedure_name  text NOT NULL,
    field           text NOT NULL,
    applicant_name  text NOT NULL,
    id_type         text NOT NULL,
    id_number       text NOT NULL,
    phone           text NOT NULL DEFAULT '',
    address         text NOT NULL DEFAULT '',
    channel         text NOT NULL,
    fee             bigint NOT NULL DEFAULT 0,
    sets            integer NOT NULL DEFAULT 1,
    received_at     timestamp NOT NULL,
    due_at          timestamp,
    original_due_at timestamp,
    state           text NOT NULL,
    officer         text NOT NULL,
    device_id       text NOT NULL,
    handler         text NOT NULL DEFAULT '',
    paused_since    timestamp,
    finished_at     timestamp,
    result_class    text,
    returned_at     timestamp,
    rating          text,
    apologies       integer NOT NULL DEFAULT 0,
    last_seq        integer NOT NULL,
    updated_at      timestamp NOT NULL,
    search          text NOT NULL DEFAULT ''        -- folded applicant, procedure, code, id number
);
CREATE INDEX dossiers_commune_received ON dossiers (commune_id, received_at DESC);
CREATE INDEX dossiers_open_due ON dossiers (commune_id, due_at) WHERE state IN ('received', 'in_progress');
CREATE INDEX dossiers_id_number ON dossiers (id_number);
CREATE INDEX dossiers_search ON dossiers USING gin (to_tsvector('simple', search));

CREATE TABLE events (
    id           uuid PRIMARY KEY,
    dossier_id   uuid NOT NULL REFERENCES dossiers (id),
    commune_id   integer NOT NULL REFERENCES communes (id),
    commune_seq  bigint NOT NULL,                   -- the pull cursor
    seq          integer NOT NULL,
    action       text NOT NULL,
    at           text NOT NULL,                     -- as the counter stored it (part of the body hash)
    hlc          text NOT NULL,
    officer      text NOT NULL,
    device_id    text NOT NULL,
    payload      jsonb NOT NULL,
    body_hash    text NOT NULL,
    pushed_by    text,                              -- device that pushed it; NULL = added on the server
    stored_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dossier_id, seq),
    UNIQUE (commune_id, commune_seq)
);
CREATE INDEX events_merge_order ON events (dossier_id, hlc, device_id, id);

-- Refused events: never merged, kept for a person to resolve. One row per distinct body, so a
-- replay answers with the recorded conflict instead of recording it again.
CREATE TABLE conflicts (
    id          bigserial PRIMARY KEY,
    commune_id  integer NOT NULL REFERENCES communes (id),
    device_id   text NOT NULL,
    event_id    uuid NOT NULL,
    dossier_id  uuid NOT NULL,
    seq         integer NOT NULL,
    code        text NOT NULL,
    message     text NOT NULL,
    body        jsonb NOT NULL,
    body_hash   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    UNIQUE (event_id, body_hash)
);
CREATE INDEX conflicts_commune ON conflicts (commune_id, created_at DESC);
CREATE INDEX conflicts_dossier ON conflicts (dossier_id, seq);

-- What the upper level distributes: the procedure catalog and the calendar adjustments.
CREATE TABLE published (
    kind         text PRIMARY KEY CHECK (kind IN ('catalog', 'calendar')),
    version      text NOT NULL,
    data         jsonb NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now()
);

-- The server's own hybrid logical clock, for events officers add on the server.
CREATE TABLE server_state (
    key   text PRIMARY KEY,
    value text NOT NULL
);
