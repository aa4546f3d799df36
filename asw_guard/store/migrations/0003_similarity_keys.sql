-- Keys of the similarity link sources (text LSH bands, photo hash chunks, close-number buckets,
-- rare tokens): keyed hashes or hash fragments, never raw text. `extra` carries what verifies a
-- candidate without a second lookup (a close number's clear two-digit tail).
CREATE TABLE simkeys (
    kind            TEXT NOT NULL,
    key             BLOB NOT NULL,
    advert_id       TEXT NOT NULL,
    extra           INTEGER,
    PRIMARY KEY (kind, key, advert_id)
) WITHOUT ROWID;
CREATE INDEX simkeys_advert ON simkeys (advert_id);

-- Identifiers, photos and phrases an operator marked benign (a switchboard number, a stock
-- photo, site boilerplate), and identifiers quarantined because they suddenly linked far more
-- accounts than usual. Neither links until a person says so.
CREATE TABLE suppressions (
    kind            TEXT NOT NULL,
    key             BLOB NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('suppressed', 'quarantined', 'confirmed')),
    accounts        INTEGER,
    note            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
