-- One row per advert holding its text band keys, photo hashes and rare-token keys, in the order they were
-- written: the in-memory similarity index is rebuilt from it and catches up on rows with a
-- higher seq. Replaces the per-key simkeys rows of text bands and photo chunks, whose random
-- B-tree pages made every commit slow (and of rare tokens). Band keys are keyed hashes; photo hashes are perceptual
-- hashes: neither is raw content.
CREATE TABLE keylog (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    advert_id       TEXT NOT NULL UNIQUE,
    bands           BLOB,
    photos          BLOB,
    rare            BLOB
);
