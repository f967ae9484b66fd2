/**
 * The plain data each one-stop-shop form is printed from. `data.ts` assembles
 * it from the database; the renderers only lay it out, so they can be tested
 * and previewed without a database.
 */

export type PdfFormNo = '01' | '02' | '03' | '04' | '05' | '06';

/** Who issues the paper: the receiving commune's People's Committee. */
export interface Issuer {
  communeCode: string;
  /** Display name of the commune, e.g. "Phường Tân Ninh". */
  communeName: string;
  /** Place on the date line: the name without its type, e.g. "Tân Ninh". */
  place: string;
}

export interface Applicant {
  name: string;
  address: string;
  phone: string | null;
  email: string | null;
}

/** What every dossier form shares. */
export interface DossierFormBase {
  issuer: Issuer;
  dossierCode: string;
  applicant: Applicant;
  procedure: { code: string; name: string };
  /** The day on the "…, ngày … tháng … năm …" line. */
  issuedAt: Date;
}

/** One paper of the chosen case, with the quantity of each kind received. */
export interface PaperLine {
  name: string;
  originals: number;
  certifiedCopies: number;
  photocopies: number;
  /** Electronic files the applicant attached for this paper (online dossiers). */
  files: number;
}

export interface FeeLine {
  /** "Phí", "Lệ phí", … */
  label: string;
  /** "50.000 đồng", "miễn phí", "chưa công bố", or the published text. */
  text: string;
}

/** Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export interface ReceiptData extends DossierFormBase {
  form: '01';
  receivedAt: Date;
  receivedBy: string;
  channel: 'online' | 'counter' | 'field';
  papers: PaperLine[];
  /** Sets (bộ) of the dossier. */
  sets: number;
  workingDays: number;
  /** Appointment: local date `YYYY-MM-DD` (null when it could not be computed) and time `HH:mm`. */
  appointment: { date: string | null; time: string };
  /** Today's appointment when it moved since the receipt (pause, apology) and the dossier is still open. */
  currentDue: string | null;
  returnAt: { kind: 'counter' | 'online'; text: string };
  fees: FeeLine[];
  /** Tracking-book entry (form 07): book = year of receipt, number within it. */
  bookEntry: { book: string; no: number };
  /** The public tracking page the QR code points to. */
  trackingUrl: string;
}

/**
 * Giấy biên nhận hồ sơ đã nộp: what the applicant holds between submission and
 * reception. Not form 01: nobody has checked the papers yet, so it sets no
 * appointment and carries no tracking-book entry; once the dossier is received
 * the same download gives form 01.
 */
export interface SubmissionReceiptData extends DossierFormBase {
  form: 'submission';
  submittedAt: Date;
  channel: 'online' | 'counter' | 'field';
  /** Who submitted on the applicant's behalf (an officer at the counter, a team member in the field); null online. */
  assistedBy: string | null;
  /** Each paper of the chosen case with the files attached to it; `other` counts files not tied to a listed paper. */
  papers: { name: string; files: number }[];
  otherFiles: number;
  /** Processing time set by the procedure, counted from reception. */
  workingDays: number;
  /** The dossier's status when the paper was printed, and when that was. */
  status: string;
  statusAt: Date;
  fees: FeeLine[];
  trackingUrl: string;
}

/** Mẫu số 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export interface SupplementData extends DossierFormBase {
  form: '02';
  eventSeq: number;
  /** Everything missing, in one go: one item per line of the official's note (headings the office page writes are not items). */
  items: string[];
  reason: string;
  officer: string;
  contact: string;
}

/** Mẫu số 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export interface RefusalData extends DossierFormBase {
  form: '03';
  eventSeq: number;
  reasons: string[];
  officer: string;
  submittedAt: Date;
}

/** Mẫu số 04: Văn bản xin lỗi và hẹn lại ngày trả kết quả. */
export interface ApologyData extends DossierFormBase {
  form: '04';
  eventSeq: number;
  receivedAt: Date | null;
  previousDue: string | null;
  newDue: string;
  reason: string;
  officer: string;
}

/** Mẫu số 05: Thông báo dừng giải quyết hồ sơ. */
export interface StopData extends DossierFormBase {
  form: '05';
  eventSeq: number;
  receivedAt: Date | null;
  reasons: string[];
  officer: string;
}

/** Step against the due date in force then: before it, on it, after it. */
export type Timeliness = 'early' | 'on_time' | 'late';

/** One row of the control slip: one step of the dossier's history. */
export interface ControlRow {
  no: number;
  step: string;
  /** Who handed the dossier over and who received it (the same party when it stayed put). */
  from: string;
  to: string;
  at: Date;
  actor: string;
  result: string;
  /** The due date in force at that step (`YYYY-MM-DD`), null before receipt or while paused. */
  dueInForce: string | null;
  timeliness: Timeliness | null;
}

/** Mẫu số 06: Phiếu kiểm soát quá trình giải quyết hồ sơ. */
export interface ControlSlipData extends DossierFormBase {
  form: '06';
  receivedAt: Date | null;
  dueDate: string | null;
  status: string;
  rows: ControlRow[];
}

export type DossierForm = ReceiptData | SubmissionReceiptData | SupplementData | RefusalData | ApologyData | StopData | ControlSlipData;

/** Progress of a dossier in the tracking book. */
export type BookProgress = Timeliness | 'in_time' | 'overdue' | 'none';

export interface BookRow {
  /** Entry number within the year of receipt (the same number form 01 prints). */
  entryNo: number;
  book: string;
  code: string;
  applicant: string;
  procedureCode: string;
  procedureName: string;
  receivedAt: Date;
  /** Due date in force (`YYYY-MM-DD`). */
  due: string | null;
  /** When the result was ready (approved), if it was. */
  decidedAt: Date | null;
  returnedAt: Date | null;
  status: string;
  progress: BookProgress;
}

/** Mẫu số 07: Sổ theo dõi hồ sơ, for a period. */
export interface TrackingBookData {
  issuer: Issuer;
  from: string;
  to: string;
  generatedAt: Date;
  rows: BookRow[];
}
