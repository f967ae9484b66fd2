-- Drill-down from a commune's procedure to the dossiers behind a figure, by submission day.
create index stats_dossier_drill_idx on stats_dossier (commune_code, procedure_code, day);
