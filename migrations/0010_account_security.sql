-- Counter password reset: the account holds its owner's personal ID number
-- (as an HMAC keyed with the server secret, never the number itself), which
-- the official checks against the card; the citizen is told of every counter
-- reset at their next sign-in. Staff sessions end after a spell of inactivity.
alter table app_user add column id_number_hash text;
alter table one_time_code add column unit_code text;

create table account_notice (
  id bigint generated always as identity primary key,
  user_id uuid not null references app_user (id),
  kind text not null check (kind in ('counter_reset_code', 'counter_password_reset')),
  unit_code text,
  created_at timestamptz not null default now(),
  seen_at timestamptz
);
create index account_notice_unseen_idx on account_notice (user_id) where seen_at is null;

alter table user_session add column last_seen_at timestamptz not null default now();
