-- Cashless fees: fee table per procedure and case (per province, versioned),
-- the commune's collection account, payments of dossiers, bank transactions
-- (gateway callbacks and statement lines, each counted once), the receipt
-- series, refunds, and the accountant role.

alter table staff_role drop constraint staff_role_role_check;
alter table staff_role add constraint staff_role_role_check
  check (role in ('receiving_officer', 'specialist', 'commune_leader', 'province_admin', 'analyst', 'team_member', 'accountant'));

-- A fee as the province administrator confirmed it; a correction is a new version, nothing is overwritten.
create table fee_schedule (
  province_code text not null references province (code),
  procedure_code text not null references procedure (code),
  -- 'online', 'direct', 'postal', or a named case such as 'khai sinh đúng hạn'.
  case_key text not null check (length(case_key) between 1 and 100),
  version integer not null check (version > 0),
  status text not null check (status in ('amount', 'free', 'set_by_province', 'unpublished', 'unclear')),
  amount_vnd bigint check (amount_vnd is null or amount_vnd >= 0),
  per text,
  exemptions jsonb not null default '[]',
  -- The catalog text the proposal was read from.
  source_text text not null default '',
  -- null: proposed from the catalog, not yet confirmed.
  confirmed_by uuid references app_user (id),
  confirmed_at timestamptz,
  note text not null default '',
  created_at timestamptz not null default now(),
  primary key (province_code, procedure_code, case_key, version),
  check (status <> 'amount' or amount_vnd > 0)
);

-- Where citizens pay: one collection account per commune (VietQR needs the bank BIN and the account number).
create table payment_account (
  commune_code text primary key references commune (code),
  bank_bin text not null check (bank_bin ~ '^[0-9]{6}$'),
  account_no text not null check (account_no ~ '^[0-9A-Za-z]{1,19}$'),
  account_name text not null,
  updated_at timestamptz not null default now()
);
create unique index payment_account_no_idx on payment_account (bank_bin, account_no);

create table payment (
  commune_code text not null references commune (code),
  id uuid not null default gen_random_uuid(),
  dossier_id uuid,
  dossier_code text not null,
  -- Letters and digits only, what the payer's bank carries in the transfer description.
  reference text not null unique check (reference ~ '^[0-9A-Z]{4,25}$'),
  amount_vnd bigint not null check (amount_vnd > 0),
  procedure_code text not null,
  procedure_name text not null,
  fee_case text not null default '',
  payer_name text not null,
  state text not null default 'pending' check (state in ('pending', 'paid', 'cancelled', 'refunded')),
  requested_at timestamptz not null,
  requested_by text not null,
  paid_at timestamptz,
  paid_amount_vnd bigint,
  paid_via text check (paid_via in ('gateway', 'statement', 'manual')),
  -- Set when the dossier was moved on after payment (the workflow hook ran).
  dossier_advanced_at timestamptz,
  version integer not null default 1,
  primary key (commune_code, id)
);
create index payment_dossier_idx on payment (commune_code, dossier_id);
create index payment_state_idx on payment (commune_code, state, requested_at);

-- One row per distinct bank transaction (the bank's reference), whichever way it arrived.
create table bank_txn (
  commune_code text not null references commune (code),
  id uuid not null default gen_random_uuid(),
  bank_ref text not null check (length(bank_ref) between 1 and 100),
  source text not null check (source in ('gateway', 'statement')),
  txn_date date not null,
  amount_vnd bigint not null check (amount_vnd > 0),
  description text not null default '',
  statement_id uuid,
  payment_id uuid,
  -- matched: counted for a payment; queued: waits for the accountant; refunded: given back.
  state text not null check (state in ('matched', 'queued', 'refunded')),
  issue text check (issue in ('unmatched', 'short', 'over', 'duplicate', 'cancelled')),
  resolved_by uuid references app_user (id),
  resolved_at timestamptz,
  resolution_note text not null default '',
  created_at timestamptz not null default now(),
  primary key (commune_code, id),
  unique (commune_code, bank_ref)
);
-- A payment is counted by one transaction at most.
create unique index bank_txn_one_match_idx on bank_txn (commune_code, payment_id) where state = 'matched';
create index bank_txn_queue_idx on bank_txn (commune_code, state, created_at);
create index bank_txn_date_idx on bank_txn (commune_code, txn_date);

create table bank_statement (
  commune_code text not null references commune (code),
  id uuid not null default gen_random_uuid(),
  file_sha256 text not null,
  file_name text not null,
  uploaded_by uuid references app_user (id),
  uploaded_at timestamptz not null,
  lines integer not null,
  new_lines integer not null,
  problems jsonb not null default '[]',
  primary key (commune_code, id)
);

create table receipt_series (
  commune_code text not null references commune (code),
  year integer not null,
  last integer not null default 0,
  primary key (commune_code, year)
);

-- Electronic receipts: never deleted; a cancellation keeps the number and says why.
create table receipt (
  commune_code text not null references commune (code),
  year integer not null,
  no integer not null check (no > 0),
  symbol text not null,
  payment_id uuid not null,
  payer_name text not null,
  amount_vnd bigint not null check (amount_vnd > 0),
  procedure_code text not null,
  procedure_name text not null,
  dossier_code text not null,
  issued_at timestamptz not null,
  cancelled_at timestamptz,
  cancelled_by uuid references app_user (id),
  cancel_reason text,
  primary key (commune_code, year, no)
);
create unique index receipt_payment_idx on receipt (commune_code, payment_id) where cancelled_at is null;

create table refund (
  commune_code text not null references commune (code),
  id uuid not null default gen_random_uuid(),
  payment_id uuid,
  bank_txn_id uuid,
  amount_vnd bigint not null check (amount_vnd > 0),
  reason text not null,
  refunded_by uuid references app_user (id),
  refunded_at timestamptz not null,
  primary key (commune_code, id),
  check (payment_id is not null or bank_txn_id is not null)
);
