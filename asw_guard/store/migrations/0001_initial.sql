-- Settings the store must remember, e.g. the fingerprint of the link-index key.
CREATE TABLE meta (
    key             TEXT PRIMARY KEY,
    value           TEXT NOT NULL
);

-- Decisions are immutable; later human actions are audit events that refer to them.
CREATE TABLE decisions (
    decision_id     TEXT PRIMARY KEY,
    advert_id       TEXT NOT NULL,
    advert_version  INTEGER NOT NULL,
    account_id      TEXT NOT NULL,
    action          TEXT NOT NULL,
    status          TEXT NOT NULL,
    score           REAL NOT NULL,
    band            TEXT NOT NULL,
    cluster_id      TEXT,
    created_at      TEXT NOT NULL,
    document        TEXT NOT NULL,
    UNIQUE (advert_id, advert_version)
);
CREATE INDEX decisions_queue ON decisions (status, score DESC);
CREATE INDEX decisions_account ON decisions (account_id);

-- What linking needs to know of each advert, with no raw personal data: the alias is a keyed hash.
CREATE TABLE adverts (
    advert_id       TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL,
    version         INTEGER NOT NULL,
    alias_key       BLOB,
    age             INTEGER,
    city            TEXT,
    posted_at       TEXT,
    cluster_id      TEXT NOT NULL
);
CREATE INDEX adverts_cluster ON adverts (cluster_id);
CREATE INDEX adverts_account ON adverts (account_id);

CREATE TABLE clusters (
    cluster_id      TEXT PRIMARY KEY,
    size            INTEGER NOT NULL,
    first_seen      TEXT NOT NULL,
    last_seen       TEXT NOT NULL
);

-- The link index: keyed hashes (HMAC-SHA256, truncated) of identifiers, never raw values.
CREATE TABLE identifiers (
    kind            TEXT NOT NULL,
    key             BLOB NOT NULL,
    advert_id       TEXT NOT NULL,
    account_id      TEXT NOT NULL,
    seen_at         TEXT NOT NULL,
    PRIMARY KEY (kind, key, advert_id)
) WITHOUT ROWID;
CREATE INDEX identifiers_advert ON identifiers (advert_id);

-- Append-only, hash-chained record of what happened. Triggers refuse edits and deletions.
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    kind            TEXT NOT NULL,
    actor           TEXT NOT NULL,
    advert_id       TEXT,
    decision_id     TEXT,
    payload         TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX events_decision ON events (decision_id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- The advert as submitted, kept only while a person may need it (held, referred, under review).
CREATE TABLE snapshots (
    advert_id       TEXT NOT NULL,
    advert_version  INTEGER NOT NULL,
    decision_id     TEXT NOT NULL,
    content         TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    PRIMARY KEY (advert_id, advert_version)
);
CREATE INDEX snapshots_expiry ON snapshots (expires_at);
