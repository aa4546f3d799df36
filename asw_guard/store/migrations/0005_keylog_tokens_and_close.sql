-- The key log also holds each advert's keyed text tokens (which verify text links) and its
-- close-number bucket keys with their clear last digits, so the in-memory similarity index is
-- rebuilt from one table and a check writes one row where it wrote rows in three tables.
-- Tokens are keyed hashes and bucket keys are keyed hashes: neither is raw content. The last
-- digits alone (two of them) identify nobody.
ALTER TABLE keylog ADD COLUMN tokens BLOB;
ALTER TABLE keylog ADD COLUMN close BLOB;
