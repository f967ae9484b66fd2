-- Community digital-technology teams (tổ công nghệ số cộng đồng): villages with
-- their household counts, teams per village, members, the field log with its
-- correction history, and the teams' step-by-step guides.
-- The commune code leads every primary key and every foreign key between these
-- tables, so rows can never point into another commune (and can be sharded by it).

create table team_village (
  commune_code text not null references commune (code),
  id integer generated always as identity,
  name text not null check (length(name) between 1 and 100),
  -- Folded name (no diacritics, lower case): "Ấp 3" and "ap 3" are the same village.
  name_key text not null,
  kind text not null check (kind in ('thon', 'ap', 'ban', 'to_dan_pho', 'khu_pho')),
  households integer check (households between 0 and 100000),
  households_source text check (households_source in ('entered', 'imported')),
  households_updated_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (commune_code, id),
  unique (commune_code, name_key)
);

create table team (
  commune_code text not null,
  id integer generated always as identity,
  village_id integer not null,
  name text not null check (length(name) between 1 and 100),
  name_key text not null,
  created_at timestamptz not null default now(),
  primary key (commune_code, id),
  unique (commune_code, name_key),
  foreign key (commune_code, village_id) references team_village (commune_code, id)
);

create table team_member (
  commune_code text not null,
  id integer generated always as identity,
  team_id integer not null,
  full_name text not null check (length(full_name) between 1 and 100),
  phone text not null check (phone ~ '^0[0-9]{9}$'),
  role text not null check (role in ('leader', 'youth_union', 'women_union', 'police', 'village_head', 'other')),
  -- The member's own sign-in (a team_member account), when they have one.
  user_id uuid references app_user (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Members who leave are kept (the log refers to their work), but free their phone number.
  left_at timestamptz,
  primary key (commune_code, id),
  foreign key (commune_code, team_id) references team (commune_code, id)
);
create unique index team_member_phone_uq on team_member (commune_code, phone) where left_at is null;
create unique index team_member_user_uq on team_member (commune_code, user_id) where left_at is null and user_id is not null;
create index team_member_team_idx on team_member (commune_code, team_id);

create table team_log_entry (
  commune_code text not null,
  id integer generated always as identity,
  -- Hidden in the form: a retried post (flaky connection) finds the entry it already made.
  idempotency_key text not null check (idempotency_key ~ '^[A-Za-z0-9-]{16,64}$'),
  author_id uuid not null references app_user (id),
  team_id integer,
  village_id integer not null,
  visit_date date not null,
  households_visited integer not null default 0 check (households_visited between 0 and 1000),
  eid_activated integer not null default 0 check (eid_activated between 0 and 1000),
  accounts_created integer not null default 0 check (accounts_created between 0 and 1000),
  dossiers_submitted integer not null default 0 check (dossiers_submitted between 0 and 1000),
  cashless_setup integer not null default 0 check (cashless_setup between 0 and 1000),
  apps_installed integer not null default 0 check (apps_installed between 0 and 1000),
  training_attendees integer not null default 0 check (training_attendees between 0 and 1000),
  note text not null default '' check (length(note) <= 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz,
  updated_by uuid references app_user (id),
  revision integer not null default 1,
  primary key (commune_code, id),
  unique (commune_code, idempotency_key),
  foreign key (commune_code, village_id) references team_village (commune_code, id),
  foreign key (commune_code, team_id) references team (commune_code, id)
);
create index team_log_village_date_idx on team_log_entry (commune_code, village_id, visit_date);
create index team_log_author_idx on team_log_entry (commune_code, author_id, created_at desc);
create index team_log_date_idx on team_log_entry (commune_code, visit_date);

-- Every correction keeps the values it replaced, who changed them and why.
create table team_log_revision (
  commune_code text not null,
  entry_id integer not null,
  revision integer not null,
  old_values jsonb not null,
  changed_at timestamptz not null default now(),
  changed_by uuid not null references app_user (id),
  changed_by_label text not null,
  reason text not null check (length(reason) between 1 and 500),
  primary key (commune_code, entry_id, revision),
  foreign key (commune_code, entry_id) references team_log_entry (commune_code, id)
);

create table team_guide (
  commune_code text not null references commune (code),
  id integer generated always as identity,
  title text not null check (length(title) between 1 and 150),
  -- A national procedure code such as 1.001193; no foreign key, so a guide survives a catalog re-import.
  procedure_code text check (procedure_code ~ '^[0-9]\.[0-9]{6}$'),
  author_id uuid not null references app_user (id),
  status text not null default 'draft' check (status in ('draft', 'published')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  primary key (commune_code, id)
);
create index team_guide_procedure_idx on team_guide (procedure_code) where status = 'published';

create table team_guide_step (
  commune_code text not null,
  id integer generated always as identity,
  guide_id integer not null,
  position integer not null,
  body text not null check (length(body) between 1 and 1000),
  -- Re-encoded on upload (metadata such as GPS position stripped), a few hundred KB at most.
  image bytea,
  image_mime text check (image_mime in ('image/jpeg', 'image/png')),
  image_alt text,
  created_at timestamptz not null default now(),
  primary key (commune_code, id),
  foreign key (commune_code, guide_id) references team_guide (commune_code, id) on delete cascade
);
create index team_guide_step_guide_idx on team_guide_step (commune_code, guide_id, position);
