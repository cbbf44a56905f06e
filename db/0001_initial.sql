-- Counter database, first version. Dossier rows are a projection of `events`; the projection can be
-- rebuilt from events alone (counter_app.store.dossiers.rebuild_projection).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE officers (
    username        TEXT PRIMARY KEY,
    full_name       TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('receiving', 'handling', 'leader', 'admin')),
    password_hash   TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE procedures (
    num             INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    field           TEXT NOT NULL,
    data            TEXT NOT NULL,          -- the whole validated catalog entry, JSON
    name_folded     TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    catalog_version TEXT NOT NULL
);

CREATE VIRTUAL TABLE procedures_fts USING fts5(code, name_folded, field_folded, tokenize = 'unicode61');

CREATE TABLE dossiers (
    num             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    code            TEXT NOT NULL UNIQUE,
    procedure_code  TEXT NOT NULL,
    procedure_name  TEXT NOT NULL,
    field           TEXT NOT NULL,
    applicant_name  TEXT NOT NULL,
    id_type         TEXT NOT NULL,
    id_number       TEXT NOT NULL,
    phone           TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    channel         TEXT NOT NULL,
    fee             INTEGER NOT NULL DEFAULT 0,
    sets            INTEGER NOT NULL DEFAULT 1,
    received_at     TEXT NOT NULL,
    due_at          TEXT,
    original_due_at TEXT,
    state           TEXT NOT NULL,
    officer         TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    handler         TEXT NOT NULL DEFAULT '',
    paused_since    TEXT,
    finished_at     TEXT,
    result_class    TEXT,
    returned_at     TEXT,
    rating          TEXT,
    apologies       INTEGER NOT NULL DEFAULT 0,
    last_seq        INTEGER NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX dossiers_id_number ON dossiers (id_number);
CREATE INDEX dossiers_phone ON dossiers (phone) WHERE phone <> '';
CREATE INDEX dossiers_received ON dossiers (received_at);
CREATE INDEX dossiers_open_due ON dossiers (due_at) WHERE state IN ('received', 'in_progress');
CREATE INDEX dossiers_state ON dossiers (state, updated_at) WHERE state IN ('supplement', 'ready');

-- Folded applicant and procedure names; rowid = dossiers.num. Dossiers are never deleted.
CREATE VIRTUAL TABLE dossiers_fts USING fts5(words, content = '', tokenize = 'unicode61');

CREATE TABLE events (
    num         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    dossier_num INTEGER NOT NULL REFERENCES dossiers (num),
    seq         INTEGER NOT NULL,
    action      TEXT NOT NULL,
    at          TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    officer     TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    payload     TEXT NOT NULL,
    chain       BLOB NOT NULL,              -- 128-bit hash of (previous row's chain, this event): edits show
    UNIQUE (dossier_num, seq)
);

-- Events waiting to reach the upper-level server, written in the same transaction as the event.
CREATE TABLE outbox (
    event_num   INTEGER PRIMARY KEY REFERENCES events (num),
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'acknowledged', 'rejected')),
    lease_until TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX outbox_pending ON outbox (state) WHERE state <> 'acknowledged';

-- Per-day, per-counter-slot sequence behind the printed dossier code.
CREATE TABLE day_sequences (
    day  TEXT NOT NULL,
    slot INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (day, slot)
) WITHOUT ROWID;

-- Official adjustments (bundled, from the server, added by an admin) and commune closures.
CREATE TABLE calendar_adjustments (
    day    TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('bundled', 'server', 'admin')),
    kind   TEXT NOT NULL CHECK (kind IN ('off', 'work')),
    name   TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (day, origin)
) WITHOUT ROWID;

-- Hash-chained log of administrative actions (officers, settings, catalog, calendar, restore).
CREATE TABLE audit_log (
    num       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    officer   TEXT NOT NULL,
    device_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    chain     BLOB NOT NULL
);
