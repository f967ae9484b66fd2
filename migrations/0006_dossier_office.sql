-- Dossier back office (queues, dossier page, JSON API).

-- The API and links address a dossier by id alone (the primary key leads with the commune).
create index dossier_id_idx on dossier (id);

-- Decree 118/2025 routing: dossiers a unit decides but another commune received.
-- Partial, so it stays as small as the routed share; queries repeat the predicate to use it.
create index dossier_routed_idx on dossier (deciding_unit, status, due_date) where deciding_unit <> commune_code;
