-- Notifications: the in-app inbox (always written, needs no external service),
-- each person's channel preference, and the outbox's link to the person it is for.

create table notification (
  id bigint generated always as identity primary key,
  user_id uuid not null references app_user (id),
  -- One notice per event and person, however many channels carry it.
  event_key text not null,
  title text not null,
  body text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  unique (user_id, event_key)
);
create index notification_unread_idx on notification (user_id) where read_at is null;
create index notification_user_idx on notification (user_id, id desc);

create table notification_preference (
  user_id uuid primary key references app_user (id),
  channel text not null check (channel in ('sms', 'email', 'inapp')),
  updated_at timestamptz not null default now()
);

alter table outbox add column user_id uuid references app_user (id);
-- The administrator's dead-letter list reads failed messages newest first.
create index outbox_failed_idx on outbox (id desc) where status = 'failed';
