-- Foundation: administrative units, accounts, roles per unit, sessions,
-- one-time codes, national SSO identities, audit log, notification outbox.

create table province (
  code text primary key check (code ~ '^[0-9]{2}$'),
  name text not null,
  division_type text not null,
  codename text not null
);

create table commune (
  code text primary key check (code ~ '^[0-9]{5}$'),
  province_code text not null references province (code),
  name text not null,
  division_type text not null,
  codename text not null
);
create index commune_province_idx on commune (province_code);

create table app_user (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('citizen', 'staff')),
  full_name text not null,
  phone text unique check (phone ~ '^0[0-9]{9}$'),
  email text unique,
  password_hash text,
  home_commune_code text references commune (code),
  failed_logins integer not null default 0,
  locked_until timestamptz,
  password_changed_at timestamptz,
  created_at timestamptz not null default now()
);

-- A staff member's role in one unit: a commune (5 digits) or a province (2 digits).
create table staff_role (
  unit_code text not null check (unit_code ~ '^([0-9]{2}|[0-9]{5})$'),
  user_id uuid not null references app_user (id),
  role text not null check (role in ('receiving_officer', 'specialist', 'commune_leader', 'province_admin', 'analyst', 'team_member')),
  granted_at timestamptz not null default now(),
  primary key (unit_code, user_id, role)
);
create index staff_role_user_idx on staff_role (user_id);

create table user_session (
  id text primary key, -- sha256 of the cookie token: a stolen table dump opens no session
  user_id uuid not null references app_user (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index user_session_user_idx on user_session (user_id);

create table one_time_code (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_user (id),
  purpose text not null check (purpose in ('password_reset', 'counter_reset')),
  code_hash text not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  attempts integer not null default 0,
  issued_by uuid references app_user (id),
  created_at timestamptz not null default now()
);
create index one_time_code_user_idx on one_time_code (user_id, purpose);

create table oidc_identity (
  issuer text not null,
  subject text not null,
  user_id uuid not null references app_user (id),
  created_at timestamptz not null default now(),
  primary key (issuer, subject)
);

create table audit_log (
  seq bigint generated always as identity primary key,
  at timestamptz not null,
  actor_id uuid,
  actor_label text not null,
  unit_code text,
  action text not null,
  subject_type text not null,
  subject_id text,
  pd_read text[] not null default '{}',
  pd_changed text[] not null default '{}',
  ip text,
  detail jsonb not null default '{}',
  prev_hash text not null,
  hash text not null
);
create index audit_log_subject_idx on audit_log (subject_type, subject_id);
create index audit_log_actor_idx on audit_log (actor_id);

-- Append-only: no update, delete or truncate through the application role.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

create table outbox (
  id bigint generated always as identity primary key,
  channel text not null check (channel in ('email', 'sms')),
  recipient text not null,
  subject text not null default '',
  body text not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  dedupe_key text unique,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending';
