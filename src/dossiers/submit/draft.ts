/**
 * A submission draft as data: what the citizen (or the official helping them)
 * has answered so far, and which pages follow from it. Pure: no database.
 */
import { z } from 'zod';
import type { Paper, PaperCase, Procedure } from '../../catalog/procedure.js';

export type DraftMode = 'online' | 'assisted';

export interface ApplicantInfo {
  name: string;
  phone: string | null;
  email: string | null;
  address: string;
}

export interface DraftData {
  mode: DraftMode;
  applicant?: ApplicantInfo;
  /** Assisted: the citizen's own account, found by phone (the dossier then shows in their list). */
  applicantId?: string | null;
  /** Assisted: that account's name, read once at the lookup (and audited there). */
  accountName?: string | null;
  caseNo?: number;
  /** Online: the citizen has confirmed the receiving commune. */
  communeChosen?: boolean;
  /** Assisted: at the counter (receiving officer) or in the field (community team). */
  channel?: 'counter' | 'field';
}

export interface DraftFile {
  sha256: string;
  fileName: string;
  size: number;
  mime: string;
}
/** Files by `<case>.<paper>`: answers for another case survive a change of mind. */
export type DraftFiles = Record<string, DraftFile[]>;

const applicantSchema = z.object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable(), address: z.string() });
const dataSchema = z.object({
  mode: z.enum(['online', 'assisted']),
  applicant: applicantSchema.optional(),
  applicantId: z.string().nullable().optional(),
  accountName: z.string().nullable().optional(),
  caseNo: z.number().int().min(0).optional(),
  communeChosen: z.boolean().optional(),
  channel: z.enum(['counter', 'field']).optional(),
});
const fileSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), fileName: z.string(), size: z.number().default(0), mime: z.string().default('') });
const filesSchema = z.record(z.string(), z.array(fileSchema));

/** Reads stored JSON defensively: a malformed draft degrades to "nothing answered", never a crash. */
export function parseDraftData(raw: unknown, fallbackMode: DraftMode = 'online'): DraftData {
  const r = dataSchema.safeParse(raw);
  return r.success ? r.data : { mode: fallbackMode };
}

export function parseDraftFiles(raw: unknown): DraftFiles {
  const r = filesSchema.safeParse(raw);
  return r.success ? r.data : {};
}

export function fileKey(caseNo: number, paperNo: number): string {
  return `${caseNo}.${paperNo}`;
}

/**
 * Cases a person can choose: those that list papers. Rows with 0 originals and
 * 0 copies are already notes in the catalog; a case of notes only (e.g. "Lưu ý")
 * is guidance, not a choice.
 */
export function choosableCases(p: Pick<Procedure, 'cases'>): number[] {
  return p.cases.flatMap((c, i) => (c.papers.length > 0 ? [i] : []));
}

export function caseLabel(c: PaperCase, i: number): string {
  return c.name.trim() || `Trường hợp ${i + 1}`;
}

/** The case in force: the only one when there is no choice, else the one chosen (null until chosen). */
export function effectiveCase(p: Pick<Procedure, 'cases'>, data: DraftData): number | null {
  const options = choosableCases(p);
  if (options.length <= 1) return options[0] ?? 0;
  return data.caseNo !== undefined && options.includes(data.caseNo) ? data.caseNo : null;
}

export function papersOf(p: Pick<Procedure, 'cases'>, caseNo: number | null): Paper[] {
  return caseNo === null ? [] : (p.cases[caseNo]?.papers ?? []);
}

export type StepId = 'nguoi-nop' | 'noi-nop' | 'truong-hop' | 'giay-to' | 'xem-lai' | 'cam-doan' | 'dong-y';
export interface Step {
  id: StepId;
  paper?: number;
}

export function stepPath(s: Step): string {
  return s.id === 'giay-to' ? `giay-to/${s.paper}` : s.id;
}

/** The pages of this draft, in order. Paper pages appear once the case is known. */
export function stepsFor(p: Pick<Procedure, 'cases'>, data: DraftData): Step[] {
  const steps: Step[] = [{ id: 'nguoi-nop' }];
  if (data.mode === 'online') steps.push({ id: 'noi-nop' });
  if (choosableCases(p).length > 1) steps.push({ id: 'truong-hop' });
  const papers = papersOf(p, effectiveCase(p, data));
  papers.forEach((_, i) => steps.push({ id: 'giay-to', paper: i }));
  steps.push({ id: 'xem-lai' }, { id: data.mode === 'online' ? 'cam-doan' : 'dong-y' });
  return steps;
}

export function stepIndex(steps: Step[], s: Step): number {
  return steps.findIndex((x) => x.id === s.id && (x.id !== 'giay-to' || x.paper === s.paper));
}

export function nextStep(steps: Step[], s: Step): Step {
  const i = stepIndex(steps, s);
  return steps[Math.min(steps.length - 1, i + 1)] ?? steps[steps.length - 1]!;
}

export function previousStep(steps: Step[], s: Step): Step | null {
  const i = stepIndex(steps, s);
  return i > 0 ? steps[i - 1]! : null;
}

/** What is still missing before the draft can be submitted, each with the page that fixes it. */
export function missingAnswers(p: Pick<Procedure, 'cases'>, data: DraftData, files: DraftFiles): { step: Step; message: string }[] {
  const out: { step: Step; message: string }[] = [];
  if (!data.applicant?.name.trim()) out.push({ step: { id: 'nguoi-nop' }, message: 'Nhập thông tin người nộp hồ sơ' });
  else if (data.mode === 'online' && !data.applicant.phone) out.push({ step: { id: 'nguoi-nop' }, message: 'Nhập số điện thoại của người nộp hồ sơ' });
  if (data.mode === 'online' && !data.communeChosen) out.push({ step: { id: 'noi-nop' }, message: 'Chọn xã, phường nhận hồ sơ' });
  const caseNo = effectiveCase(p, data);
  if (caseNo === null) {
    out.push({ step: { id: 'truong-hop' }, message: 'Chọn trường hợp của bạn' });
    return out;
  }
  const papers = papersOf(p, caseNo);
  // Many papers apply only in some situations ("Trường hợp …"), so none is forced; but a dossier needs at least one.
  if (papers.length > 0 && !papers.some((_, i) => (files[fileKey(caseNo, i)] ?? []).length > 0)) {
    out.push({ step: { id: 'giay-to', paper: 0 }, message: 'Tải lên ít nhất một giấy tờ của hồ sơ' });
  }
  return out;
}

/** The files that go with the chosen case, as submitDossier takes them. */
export function submittedFiles(p: Pick<Procedure, 'cases'>, data: DraftData, files: DraftFiles): { paperNo: number; sha256: string; fileName: string }[] {
  const caseNo = effectiveCase(p, data);
  if (caseNo === null) return [];
  return papersOf(p, caseNo).flatMap((_, i) => (files[fileKey(caseNo, i)] ?? []).map((f) => ({ paperNo: i, sha256: f.sha256, fileName: f.fileName })));
}

/** Submission online needs the portal to list an online channel and not mark the procedure offline-only. */
export function acceptsOnline(p: Pick<Procedure, 'channels' | 'onlineLevel'>): boolean {
  return p.onlineLevel !== 'offline' && p.channels.some((c) => c.channel === 'online');
}

/** A paper's name for messages and headings: the portal's names run to several sentences. */
export function shortPaperName(name: string, max = 90): string {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const at = cut.lastIndexOf(' ');
  return `${(at > max / 2 ? cut.slice(0, at) : cut).replace(/[,;:.]$/, '')}…`;
}
