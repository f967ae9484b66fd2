/**
 * What one dossier or one feedback item contributes to the roll-ups: pure
 * functions of its stored row and events, and of "today" (a dossier becomes
 * overdue without any event). Each contribution lands on one cell — commune ×
 * procedure × the day it was submitted (see docs/decisions/0140-ioc-cohort.md).
 */
import { workingDaysBetween, isoDateInVn, type WorkingDayCalendar } from '../calendar/index.js';
import { type DossierCounter, type FeedbackCounter } from './measures.js';

export type OnlineLevel = 'full' | 'partial' | 'offline';

export interface RawDossier {
  communeCode: string;
  procedureCode: string;
  onlineLevel: OnlineLevel;
  channel: 'online' | 'counter' | 'field';
  assisted: boolean;
  submittedAt: Date;
  receivedAt: Date | null;
  status: number;
  dueDate: string | null;
  rating: number | null;
}

export interface RawEvent {
  seq: number;
  at: Date;
  action: string;
  toStatus: number;
  dueDate: string | null;
}

export interface DossierFact {
  communeCode: string;
  procedureCode: string;
  day: string;
  /** Working days from receipt to result, when finished. */
  procDays: number | null;
  /** The due date of an open dossier whose clock runs, so the worker can find it when it passes. */
  openDue: string | null;
  counters: Partial<Record<DossierCounter, number>>;
}

const DECIDED = 9;
const RETURNED = 10;
const OPEN = new Set([1, 2, 4, 5, 6]);
const CLOCK_RUNNING = new Set([2, 4, 6, 9]);

export function channelCounter(d: Pick<RawDossier, 'channel' | 'assisted' | 'onlineLevel'>): DossierCounter {
  if (d.channel === 'field') return 'recv_field';
  if (d.channel === 'counter') return 'recv_counter';
  if (d.assisted) return 'recv_assisted';
  return d.onlineLevel === 'full' ? 'recv_online_full' : 'recv_online_partial';
}

/** The fact of one dossier as of `today` (YYYY-MM-DD, Việt Nam time). */
export function dossierFact(d: RawDossier, events: readonly RawEvent[], today: string, calendar: WorkingDayCalendar): DossierFact {
  const counters: Partial<Record<DossierCounter, number>> = { [channelCounter(d)]: 1 };
  if (d.onlineLevel === 'full') counters.recv_full_eligible = 1;
  const inc = (k: DossierCounter, n = 1) => {
    if (n) counters[k] = (counters[k] ?? 0) + n;
  };
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  let due: string | null = null;
  let finish: { day: string; due: string | null } | null = null;
  for (const e of ordered) {
    if (e.action === 'request_supplement') inc('supplement_requests');
    if (e.action === 'apologise') inc('apologies');
    // The result counts when it is decided (or returned, if the decision was not recorded apart).
    if (!finish && (e.toStatus === DECIDED || e.toStatus === RETURNED)) finish = { day: isoDateInVn(e.at), due };
    if (e.dueDate !== null) due = e.dueDate;
  }
  let procDays: number | null = null;
  if (finish) {
    const f = finish;
    if (f.due === null || f.day === f.due) inc('done_on_time');
    else inc(f.day < f.due ? 'done_early' : 'done_late');
    const from = d.receivedAt ? isoDateInVn(d.receivedAt) : isoDateInVn(d.submittedAt);
    procDays = Math.max(0, workingDaysBetween(from, f.day, calendar));
    inc('proc_days_sum', procDays);
    if (d.status === RETURNED) inc(d.channel === 'online' ? 'returned_online' : 'returned_counter');
  }
  let openDue: string | null = null;
  if (!finish && OPEN.has(d.status)) {
    const overdue = d.dueDate !== null && CLOCK_RUNNING.has(d.status) && today > d.dueDate;
    inc(overdue ? 'open_overdue' : 'open_on_time');
    if (!overdue && d.dueDate !== null && CLOCK_RUNNING.has(d.status)) openDue = d.dueDate;
  }
  if (!finish && d.status === 3) inc('refused');
  if (!finish && d.status === 7) inc('withdrawn');
  if (!finish && d.status === 8) inc('stopped');
  if (d.rating !== null) {
    inc('rated');
    inc('rating_sum', d.rating);
    if (d.rating >= 4) inc('rating_satisfied');
    if (d.rating <= 2) inc('rating_dissatisfied');
  }
  return { communeCode: d.communeCode, procedureCode: d.procedureCode, day: isoDateInVn(d.submittedAt), procDays, openDue, counters };
}

export interface RawFeedback {
  communeCode: string;
  submittedAt: Date;
  status: 'new' | 'in_progress' | 'closed';
  dueDate: string;
  closedAt: Date | null;
  rating: number | null;
}

export interface FeedbackFact {
  communeCode: string;
  day: string;
  counters: Partial<Record<FeedbackCounter, number>>;
}

export function feedbackFact(f: RawFeedback): FeedbackFact {
  const counters: Partial<Record<FeedbackCounter, number>> = { fb_received: 1 };
  if (f.status === 'closed' && f.closedAt) {
    counters.fb_handled = 1;
    if (isoDateInVn(f.closedAt) <= f.dueDate) counters.fb_on_time = 1;
  }
  if (f.rating !== null) {
    counters.fb_rated = 1;
    counters.fb_rating_sum = f.rating;
    if (f.rating >= 4) counters.fb_satisfied = 1;
  }
  return { communeCode: f.communeCode, day: isoDateInVn(f.submittedAt), counters };
}
