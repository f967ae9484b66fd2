-- Citizen feedback (phản ánh, kiến nghị — PAKN) and its Open311 GeoReport v2 face.
-- The commune's code comes first in every tenant-owned key.

-- Categories are per commune, each with its handling deadline in working days.
-- They are the Open311 "services"; `code` is the service_code.
create table feedback_category (
  commune_code text not null references commune (code),
  code text not null check (code ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  name text not null check (char_length(name) between 1 and 200),
  deadline_days integer not null check (deadline_days between 1 and 90),
  position integer not null default 0,
  active boolean not null default true,
  primary key (commune_code, code)
);

-- Open311 API keys, per province; only a SHA-256 of the key is stored.
create table open311_api_key (
  province_code text not null references province (code),
  id uuid not null default gen_random_uuid(),
  label text not null,
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  primary key (province_code, id)
);

-- PA-<commune>-<year>-<sequence>: one counter per commune and year.
create table feedback_sequence (
  commune_code text not null references commune (code),
  year integer not null,
  last integer not null,
  primary key (commune_code, year)
);

create table feedback (
  commune_code text not null references commune (code),
  id uuid not null default gen_random_uuid(),
  code text not null unique,
  category_code text not null,
  description text not null check (char_length(description) between 1 and 4000),
  location_text text not null default '' check (char_length(location_text) <= 500),
  lat double precision check (lat between -90 and 90),
  long double precision check (long between -180 and 180),
  address_id text,
  media_url text,
  is_public boolean not null,
  -- Personal data: never published (public pages and Open311 show none of it).
  author_id uuid references app_user (id),
  contact_name text,
  contact_phone text check (contact_phone ~ '^0[0-9]{9}$'),
  channel text not null check (channel in ('web', 'open311')),
  api_key_id uuid,
  token text unique,
  idempotency_key text,
  status text not null default 'new' check (status in ('new', 'in_progress', 'closed')),
  responsible_unit text,
  due_date date not null,
  submitted_at timestamptz not null default now(),
  triaged_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz not null default now(),
  reply_count integer not null default 0,
  public_reply text,
  public_reply_at timestamptz,
  reopen_count integer not null default 0 check (reopen_count between 0 and 1),
  reopen_reason text,
  rating smallint check (rating between 1 and 5),
  rating_comment text,
  rated_at timestamptz,
  -- Folded (no diacritics, lowercase) public text, contacts masked: the public search.
  search_text text not null default '',
  version integer not null default 1,
  primary key (commune_code, id),
  unique (commune_code, idempotency_key),
  foreign key (commune_code, category_code) references feedback_category (commune_code, code)
);
-- Officials' queue: the open items by due date (counts, overdue, at risk, the list's order)…
create index feedback_open_idx on feedback (commune_code, due_date, submitted_at) where status in ('new', 'in_progress');
-- …and the closed ones, newest first (the "closed" tab, the figures).
create index feedback_closed_idx on feedback (commune_code, closed_at desc) where status = 'closed';
-- The public list: answered public items, newest first.
create index feedback_published_idx on feedback (commune_code, closed_at desc)
  where is_public and status = 'closed' and public_reply is not null;
-- Open311 GET requests (newest first, last 90 days), across the province or per commune.
create index feedback_submitted_idx on feedback (submitted_at desc);
create index feedback_commune_submitted_idx on feedback (commune_code, submitted_at desc);
create index feedback_author_idx on feedback (author_id) where author_id is not null;

-- What happened, in order (seq = the row version the step produced); replies are events.
create table feedback_event (
  commune_code text not null,
  feedback_id uuid not null,
  seq integer not null,
  at timestamptz not null default now(),
  actor_id uuid references app_user (id),
  kind text not null check (kind in ('submitted', 'triaged', 'reply', 'closed', 'reopened', 'rated')),
  body text not null default '',
  is_public boolean not null default false,
  detail jsonb not null default '{}',
  primary key (commune_code, feedback_id, seq),
  foreign key (commune_code, feedback_id) references feedback (commune_code, id)
);

-- Photos: re-encoded JPEG, stored once per content hash under the data folder.
create table feedback_photo (
  commune_code text not null,
  feedback_id uuid not null,
  seq smallint not null check (seq between 1 and 5),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  bytes integer not null check (bytes > 0),
  width integer not null,
  height integer not null,
  primary key (commune_code, feedback_id, seq),
  foreign key (commune_code, feedback_id) references feedback (commune_code, id)
);
