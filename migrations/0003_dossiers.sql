-- Dossiers (hồ sơ): submission, workflow history, clock pauses, files, forms.
-- The receiving commune's code comes first in every key (tenant first).

-- Stored files, by content: one copy per SHA-256, on disk under the data folder.
create table stored_file (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes integer not null check (size_bytes > 0),
  mime text not null,
  created_at timestamptz not null default now()
);

create table dossier_sequence (
  agency_code text not null,
  day date not null,
  last integer not null,
  primary key (agency_code, day)
);

create table dossier (
  commune_code text not null references commune (code),
  id uuid not null default gen_random_uuid(),
  code text not null unique,
  procedure_code text not null references procedure (code),
  procedure_version integer not null,
  case_no integer not null default 0,
  deciding_unit text not null,
  applicant_id uuid references app_user (id),
  applicant_name text not null,
  applicant_phone text,
  applicant_email text,
  applicant_address text not null default '',
  channel text not null check (channel in ('online', 'counter', 'field')),
  assisted_by uuid references app_user (id),
  consent_at timestamptz,
  status smallint not null check (status between 1 and 10),
  stage text not null default '',
  previous_status smallint,
  previous_stage text not null default '',
  submitted_at timestamptz not null default now(),
  received_at timestamptz,
  working_days integer not null,
  due_date date,
  assignee_id uuid references app_user (id),
  idempotency_key text,
  rating smallint check (rating between 1 and 5),
  rating_comment text,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  primary key (commune_code, id),
  unique (commune_code, idempotency_key)
);
create index dossier_queue_idx on dossier (commune_code, status, due_date);
create index dossier_deciding_idx on dossier (deciding_unit, status);
create index dossier_applicant_idx on dossier (applicant_id);

-- Append-only history: one row per action, what the control slip (form 06) is built from.
create table dossier_event (
  commune_code text not null,
  dossier_id uuid not null,
  seq integer not null,
  at timestamptz not null default now(),
  actor_id uuid references app_user (id),
  actor_label text not null,
  action text not null,
  from_status smallint,
  to_status smallint not null,
  note text not null default '',
  detail jsonb not null default '{}',
  due_date date,
  primary key (commune_code, dossier_id, seq),
  foreign key (commune_code, dossier_id) references dossier (commune_code, id)
);
create function dossier_event_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'dossier_event is append-only';
end $$;
create trigger dossier_event_no_update before update or delete on dossier_event
  for each row execute function dossier_event_append_only();

-- Every pause of the clock (supplement awaited) is stored.
create table dossier_pause (
  commune_code text not null,
  dossier_id uuid not null,
  seq integer not null,
  paused_at timestamptz not null,
  resumed_at timestamptz,
  reason text not null,
  primary key (commune_code, dossier_id, seq),
  foreign key (commune_code, dossier_id) references dossier (commune_code, id)
);

-- The papers attached to a dossier (uploads), by paper position in the chosen case.
create table dossier_file (
  commune_code text not null,
  dossier_id uuid not null,
  paper_no integer not null,
  sha256 text not null references stored_file (sha256),
  file_name text not null,
  attached_at timestamptz not null default now(),
  primary key (commune_code, dossier_id, paper_no, sha256),
  foreign key (commune_code, dossier_id) references dossier (commune_code, id)
);

-- A citizen's draft (one question per page): saved as they go.
create table dossier_draft (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references app_user (id),
  commune_code text not null references commune (code),
  procedure_code text not null references procedure (code),
  data jsonb not null default '{}',
  files jsonb not null default '{}',
  submitted_dossier uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index dossier_draft_owner_idx on dossier_draft (owner_id);
