-- Per-person keys for personal data (a reporter's name and phone). Events hold only the
-- ciphertext; erasing a person deletes the key (crypto-shredding) and every read model,
-- export and replay shows the fields as erased, while the log and its hash chain stay intact.
CREATE TABLE person_keys (
    person_id  TEXT        PRIMARY KEY,
    key        BYTEA       NOT NULL CHECK (octet_length(key) = 32),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE read.issues
    ADD COLUMN contact_person       TEXT,
    ADD COLUMN contact_name_sealed  TEXT,
    ADD COLUMN contact_phone_sealed TEXT;
