-- Every link a check found, strong or weak, with its type: what a cluster summary shows a
-- reviewer as the reasons adverts are joined. Weak links stay edges; only strong ones merge.
CREATE TABLE links (
    advert_id       TEXT NOT NULL,
    other_id        TEXT NOT NULL,
    type            TEXT NOT NULL,
    strength        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (advert_id, other_id, type)
) WITHOUT ROWID;
CREATE INDEX links_other ON links (other_id);

-- Per-advert data that verifies a similarity candidate found through the link index (keyed
-- token sequences of the text, photo hashes): never raw text.
CREATE TABLE signatures (
    advert_id       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    data            BLOB NOT NULL,
    PRIMARY KEY (advert_id, kind)
) WITHOUT ROWID;
