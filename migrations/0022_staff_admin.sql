-- Staff administration: a disabled account keeps its history but opens no session.
alter table app_user add column disabled_at timestamptz;
