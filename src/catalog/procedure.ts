/**
 * The normalised procedure record (thủ tục hành chính) that the rest of the
 * system reads. It is built from the national portal's format by the importer
 * and committed under data/catalog/, so nothing reads ../shared at run time.
 */

/** Submission channel (hình thức nộp). */
export type Channel = 'direct' | 'online' | 'postal';

/** Levels that carry out a procedure (cấp thực hiện). */
export type Level = 'commune' | 'province' | 'ministry' | 'vertical' | 'other';

/**
 * Online level per Decree 42/2022: end-to-end (toàn trình), partly online
 * (một phần), or offline only. `onlineLevelDisputed` marks records where the
 * portal's end-to-end flag and its submission channels disagree.
 */
export type OnlineLevel = 'full' | 'partial' | 'offline';

export interface Fee {
  kind: 'fee' | 'charge' | 'other';
  /** Amount in VND, or null when the portal did not publish one. */
  amountVnd: number | null;
  text: string;
  /** True when the amount is 0 and no text: not published, never "free". */
  unpublished: boolean;
}

export interface ChannelTerms {
  channel: Channel;
  /** Processing time as published, e.g. 3 working days; null when the portal gives none. */
  time: { qty: number; unit: 'working_day' | 'day' | 'hour' | 'month' | 'other' } | null;
  timeText: string;
  fees: Fee[];
}

export interface Paper {
  name: string;
  originals: number;
  copies: number;
  /** Downloadable form files (mẫu đơn, tờ khai) where the data has them. */
  forms: { name: string; url: string }[];
}

export interface PaperCase {
  /** Case heading, e.g. "Trường hợp đăng ký khai sinh cho trẻ em bị bỏ rơi". */
  name: string;
  papers: Paper[];
  /** Rows with 0 originals and 0 copies: guidance notes, not papers. */
  notes: string[];
}

export interface Procedure {
  code: string;
  name: string;
  field: string;
  fieldCode: string;
  lifeEvents: string[];
  levels: Level[];
  onlineLevel: OnlineLevel;
  onlineLevelDisputed: boolean;
  channels: ChannelTerms[];
  cases: PaperCase[];
  steps: string[];
  results: string[];
  applicants: string[];
  agencies: string[];
  legalBasis: { code: string; name: string }[];
  requirements: string;
  decision: { number: string; date: string | null; agency: string } | null;
  sourceUrl: string;
  /** ISO date of the portal's last update. */
  updatedAt: string;
  /** Online-service variants such as 1.001193.01. */
  variants: { code: string; name: string }[];
}
