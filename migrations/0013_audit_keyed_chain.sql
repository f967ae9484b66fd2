-- The audit chain becomes keyed (HMAC with a key derived from XASO_SECRET, outside the database).
-- Rows written before this migration keep their plain SHA-256 links and are marked as such; the
-- application appends an 'audit.chain_keyed' entry at its next start, the re-key point.
alter table audit_log add column chain text not null default 'sha256';
alter table audit_log alter column chain drop default;
alter table audit_log add constraint audit_log_chain_known check (chain in ('sha256', 'hmac-sha256'));

-- The application numbers entries itself (previous + 1, under the chain lock), so a rolled-back
-- transaction leaves no hole and any hole means a deleted entry.
alter table audit_log alter column seq drop identity;
