-- The key the centre seals portfolio exports with (Ed25519; docs/design.md, "A verifiable
-- export"). One row, made on first use; kept with the data so that backups carry it and
-- every centre process serving this database seals with the same key. Its public half is
-- published at /.well-known/pocketfolio-export-key.
CREATE TABLE export_key (
    id         BIGINT PRIMARY KEY,
    secret_hex TEXT NOT NULL,
    public_hex TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
