-- The procedure catalog (thủ tục hành chính), versioned: a re-import that changes
-- a procedure closes its current version and opens a new one, so a dossier keeps
-- the version in force on the day it was received.

create table catalog_import (
  id bigint generated always as identity primary key,
  source text not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  added integer not null default 0,
  changed integer not null default 0,
  removed integer not null default 0,
  unchanged integer not null default 0
);

create table procedure (
  code text primary key,
  version integer not null,
  name text not null,
  field text not null,
  field_code text not null,
  levels text[] not null,
  life_events text[] not null,
  online_level text not null check (online_level in ('full', 'partial', 'offline')),
  online_level_disputed boolean not null,
  portal_updated_at timestamptz not null,
  content_hash text not null,
  removed_at timestamptz
);
create index procedure_field_idx on procedure (field_code);

create table procedure_version (
  code text not null references procedure (code),
  version integer not null,
  content_hash text not null,
  effective_from timestamptz not null,
  effective_to timestamptz,
  import_id bigint references catalog_import (id),
  record jsonb not null,
  primary key (code, version)
);

create table procedure_channel (
  code text not null,
  version integer not null,
  channel text not null check (channel in ('direct', 'online', 'postal')),
  time_qty numeric,
  time_unit text,
  time_text text not null,
  fees jsonb not null,
  primary key (code, version, channel),
  foreign key (code, version) references procedure_version (code, version)
);

-- Papers (thành phần hồ sơ) by case; note rows (0 originals, 0 copies) are kept as notes.
create table procedure_paper (
  code text not null,
  version integer not null,
  case_no integer not null,
  position integer not null,
  case_name text not null,
  is_note boolean not null,
  name text not null,
  originals integer not null,
  copies integer not null,
  forms jsonb not null default '[]',
  primary key (code, version, case_no, position),
  foreign key (code, version) references procedure_version (code, version)
);

create table procedure_step (
  code text not null,
  version integer not null,
  position integer not null,
  text text not null,
  primary key (code, version, position),
  foreign key (code, version) references procedure_version (code, version)
);

-- What a commune offers: by default the commune-level procedures; officials add
-- or remove with a reason. Only the overrides are stored.
create table commune_procedure (
  commune_code text not null references commune (code),
  procedure_code text not null references procedure (code),
  offered boolean not null,
  reason text not null,
  changed_by uuid references app_user (id),
  changed_at timestamptz not null default now(),
  primary key (commune_code, procedure_code)
);
