-- Queue pages list dossiers without a due date (not yet received, waiting for the
-- citizen) after the dated ones, by code. In code order, so a page reads its 51 rows
-- instead of sorting every undated dossier of the commune in that status.
create index dossier_undated_idx on dossier (commune_code, status, code collate "C") where due_date is null;
