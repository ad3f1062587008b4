-- Shipping of the journal to an outside sink (issue 10): per sink, the last sequence number the
-- sink acknowledged (the persistent cursor). `sink` is the SHA-256 of the sink's URL in hex, so
-- that no address or credential of the sink is stored. The cursor only moves forward, by a
-- conditional update from the value read (two servers shipping at once: one wins).
CREATE TABLE journal_shipping (
    sink TEXT PRIMARY KEY,
    shipped_seq BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
