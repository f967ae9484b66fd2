-- Electronic certified copies from originals (chứng thực bản sao điện tử từ bản chính):
-- the commune's register (sổ chứng thực), numbered per commune and year.
create table certified_copy_register (
  commune_code text not null references commune (code),
  year integer not null,
  number integer not null check (number > 0),
  issued_code text not null unique references issued_document (code),
  owner_id uuid not null references app_user (id),
  original_title text not null,
  pages integer not null check (pages > 0),
  copies integer not null check (copies > 0),
  fee_vnd integer not null check (fee_vnd >= 0),
  officer_id uuid not null references app_user (id),
  issued_at timestamptz not null,
  primary key (commune_code, year, number)
);
