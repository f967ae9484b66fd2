import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../platform/tables.js';
import type { FeeStatus } from './fee-text.js';

/** bigint columns: written as numbers, read as strings by `pg` and numbers by PGlite; the store converts. */
type Money = ColumnType<string | number, number, number>;
type LocalDate = ColumnType<string, string, string>;

export interface FeeScheduleTable {
  province_code: string;
  procedure_code: string;
  case_key: string;
  version: number;
  status: FeeStatus;
  amount_vnd: ColumnType<string | number | null, number | null, number | null>;
  per: string | null;
  exemptions: ColumnType<string[], string | undefined, string>;
  source_text: Generated<string>;
  confirmed_by: string | null;
  confirmed_at: Timestamp | null;
  note: Generated<string>;
  created_at: CreatedAt;
}

export interface PaymentAccountTable {
  commune_code: string;
  bank_bin: string;
  account_no: string;
  account_name: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type PaymentState = 'pending' | 'paid' | 'cancelled' | 'refunded';
export type PaidVia = 'gateway' | 'statement' | 'manual';

export interface PaymentTable {
  commune_code: string;
  id: Generated<string>;
  dossier_id: string | null;
  dossier_code: string;
  reference: string;
  amount_vnd: Money;
  procedure_code: string;
  procedure_name: string;
  fee_case: Generated<string>;
  payer_name: string;
  state: Generated<PaymentState>;
  requested_at: Timestamp;
  requested_by: string;
  paid_at: Timestamp | null;
  paid_amount_vnd: ColumnType<string | number | null, number | null | undefined, number | null>;
  paid_via: PaidVia | null;
  dossier_advanced_at: Timestamp | null;
  version: Generated<number>;
}

export type TxnState = 'matched' | 'queued' | 'refunded';
export type TxnIssue = 'unmatched' | 'short' | 'over' | 'duplicate' | 'cancelled';

export interface BankTxnTable {
  commune_code: string;
  id: Generated<string>;
  bank_ref: string;
  source: 'gateway' | 'statement';
  txn_date: LocalDate;
  amount_vnd: Money;
  description: Generated<string>;
  statement_id: string | null;
  payment_id: string | null;
  state: TxnState;
  issue: TxnIssue | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  resolution_note: Generated<string>;
  created_at: CreatedAt;
}

export interface BankStatementTable {
  commune_code: string;
  id: Generated<string>;
  file_sha256: string;
  file_name: string;
  uploaded_by: string | null;
  uploaded_at: Timestamp;
  lines: number;
  new_lines: number;
  problems: ColumnType<unknown[], string | undefined, string>;
}

export interface ReceiptSeriesTable {
  commune_code: string;
  year: number;
  last: number;
}

export interface ReceiptTable {
  commune_code: string;
  year: number;
  no: number;
  symbol: string;
  payment_id: string;
  payer_name: string;
  amount_vnd: Money;
  procedure_code: string;
  procedure_name: string;
  dossier_code: string;
  issued_at: Timestamp;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export interface RefundTable {
  commune_code: string;
  id: Generated<string>;
  payment_id: string | null;
  bank_txn_id: string | null;
  amount_vnd: Money;
  reason: string;
  refunded_by: string | null;
  refunded_at: Timestamp;
}

declare module '../platform/db.js' {
  interface Database {
    fee_schedule: FeeScheduleTable;
    payment_account: PaymentAccountTable;
    payment: PaymentTable;
    bank_txn: BankTxnTable;
    bank_statement: BankStatementTable;
    receipt_series: ReceiptSeriesTable;
    receipt: ReceiptTable;
    refund: RefundTable;
  }
}
