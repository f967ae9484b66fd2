-- Signed documents Xã Số issued (results, certified copies) and the citizen's
-- once-only store ("Kho giấy tờ của tôi") with its access log (Law 91/2025).

create table issued_document (
  commune_code text not null references commune (code),
  id uuid not null default gen_random_uuid(),
  -- Printed on the document and in its QR code: how /xac-thuc finds it.
  code text not null unique,
  kind text not null check (kind in ('result', 'certified_copy')),
  title text not null,
  dossier_id uuid,
  dossier_code text,
  owner_id uuid references app_user (id),
  sha256 text not null references stored_file (sha256),
  signer_fingerprint text not null,
  signer_name text not null,
  signed_by uuid references app_user (id),
  signed_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (commune_code, id)
);
create index issued_document_sha_idx on issued_document (sha256);
create unique index issued_document_dossier_idx on issued_document (commune_code, dossier_id) where kind = 'result';

-- The store belongs to the citizen, so the owner leads the key (not a commune).
create table citizen_document (
  owner_id uuid not null references app_user (id),
  id uuid not null default gen_random_uuid(),
  source text not null check (source in ('issued_result', 'certified_copy', 'accepted_paper', 'own_upload')),
  title text not null,
  sha256 text not null references stored_file (sha256),
  mime text not null,
  file_name text not null,
  issued_document_code text,
  commune_code text references commune (code),
  dossier_code text,
  -- Who checked the paper against its original, and when (accepted papers).
  checked_by_name text,
  checked_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (owner_id, id)
);
create index citizen_document_list_idx on citizen_document (owner_id, created_at desc) where deleted_at is null;

-- Every access to a document in the store, shown to its owner.
create table citizen_document_access (
  owner_id uuid not null,
  document_id uuid not null,
  seq bigint generated always as identity,
  at timestamptz not null default now(),
  actor_id uuid references app_user (id),
  actor_label text not null,
  action text not null check (action in ('view', 'download', 'reuse', 'delete', 'verify')),
  dossier_code text,
  primary key (owner_id, document_id, seq),
  foreign key (owner_id, document_id) references citizen_document (owner_id, id)
);
