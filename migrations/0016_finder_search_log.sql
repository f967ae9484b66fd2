-- What citizens search for, to learn which questions lead nowhere. Never tied to
-- an account or a session: the question is stored anonymised (no phones, ID
-- numbers, names), with the commune searched in, the procedures shown and
-- whether the finder said that nothing fits.
create table finder_search (
  id bigint generated always as identity primary key,
  commune_code text references commune (code),
  question text not null,
  shown_codes text not null default '', -- space-separated codes
  no_match boolean not null default false,
  opened_code text,
  not_what_i_needed boolean not null default false,
  created_at timestamptz not null default now()
);
create index finder_search_no_match_idx on finder_search (created_at) where no_match or not_what_i_needed;
