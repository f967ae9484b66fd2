-- Signing (issue 13): certification authorities and each commune's signing credential.
-- Keys are sealed with a key derived from the server secret (src/signing/secretbox.ts).

-- The demo chain's CAs (their keys issue demo commune certificates); real CAs are never stored here.
create table signing_authority (
  id text primary key,
  cert_der text not null,
  key_sealed text not null,
  created_at timestamptz not null default now()
);

-- One row per installed certificate; at most one active per commune.
create table signing_credential (
  commune_code text not null references commune (code),
  id uuid not null default gen_random_uuid(),
  fingerprint text not null unique check (fingerprint ~ '^[0-9a-f]{64}$'),
  subject text not null,
  serial text not null,
  not_before timestamptz not null,
  not_after timestamptz not null,
  cert_der text not null,
  p12_sealed text not null,
  is_demo boolean not null,
  active boolean not null default true,
  revoked_at timestamptz,
  revoked_reason text,
  created_at timestamptz not null default now(),
  created_by uuid references app_user (id),
  primary key (commune_code, id)
);
create unique index signing_credential_one_active on signing_credential (commune_code) where active;
