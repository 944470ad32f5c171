-- `ANALYZE` leaves out the issues' free text and sealed contact details. No query filters,
-- joins or sorts by them, so their statistics (most common values, histograms) would never
-- be read, and gathering them sorted 30,000 sampled values of each, compared under the
-- database's collation, in every autovacuum analyze and after every rebuild. A rebuild's
-- tables take the live tables' targets (`civic_projections::rebuild`).
ALTER TABLE read.issues
    ALTER COLUMN title SET STATISTICS 0,
    ALTER COLUMN description SET STATISTICS 0,
    ALTER COLUMN location SET STATISTICS 0,
    ALTER COLUMN resolution SET STATISTICS 0,
    ALTER COLUMN contact_name_sealed SET STATISTICS 0,
    ALTER COLUMN contact_phone_sealed SET STATISTICS 0;
