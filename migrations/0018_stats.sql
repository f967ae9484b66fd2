-- Dossier and feedback roll-ups for the operations centre (src/stats). Kept by a worker
-- that follows dossier and feedback changes in order (docs/decisions/0140-ioc-cohort.md);
-- nothing here is written by the dossier or feedback features.

-- What each dossier last contributed, so a change is applied as a difference.
create table stats_dossier (
  commune_code text not null,
  dossier_id uuid not null,
  procedure_code text not null,
  day date not null,
  proc_days integer,
  open_due date,
  counters jsonb not null,
  primary key (commune_code, dossier_id)
);
-- Open dossiers whose due date will pass without an event.
create index stats_dossier_open_due_idx on stats_dossier (open_due) where open_due is not null;

-- Commune × day × procedure: the day the dossier was submitted (Việt Nam time).
create table stats_daily (
  commune_code text not null,
  day date not null,
  procedure_code text not null,
  recv_online_full integer not null default 0,
  recv_online_partial integer not null default 0,
  recv_counter integer not null default 0,
  recv_assisted integer not null default 0,
  recv_field integer not null default 0,
  recv_full_eligible integer not null default 0,
  done_early integer not null default 0,
  done_on_time integer not null default 0,
  done_late integer not null default 0,
  open_on_time integer not null default 0,
  open_overdue integer not null default 0,
  proc_days_sum integer not null default 0,
  supplement_requests integer not null default 0,
  refused integer not null default 0,
  withdrawn integer not null default 0,
  stopped integer not null default 0,
  apologies integer not null default 0,
  returned_online integer not null default 0,
  returned_counter integer not null default 0,
  rated integer not null default 0,
  rating_sum integer not null default 0,
  rating_satisfied integer not null default 0,
  rating_dissatisfied integer not null default 0,
  primary key (commune_code, day, procedure_code)
);

-- Finished dossiers by working days taken, for percentiles that add up.
create table stats_daily_time (
  commune_code text not null,
  day date not null,
  procedure_code text not null,
  wdays integer not null,
  n integer not null,
  primary key (commune_code, day, procedure_code, wdays)
);

create table stats_feedback (
  commune_code text not null,
  feedback_id uuid not null,
  day date not null,
  counters jsonb not null,
  primary key (commune_code, feedback_id)
);

create table stats_feedback_daily (
  commune_code text not null,
  day date not null,
  fb_received integer not null default 0,
  fb_handled integer not null default 0,
  fb_on_time integer not null default 0,
  fb_rated integer not null default 0,
  fb_rating_sum integer not null default 0,
  fb_satisfied integer not null default 0,
  primary key (commune_code, day)
);

-- Where the worker has read up to, per source.
create table stats_cursor (
  name text primary key,
  at timestamptz not null,
  due_swept date
);

-- The worker follows changes in order of their time.
create index stats_dossier_changes_idx on dossier (updated_at);
create index stats_feedback_changes_idx on feedback (updated_at);
