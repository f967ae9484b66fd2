/** Small form pieces shared by the submission, supplement and tracking pages (GOV.UK patterns, no JavaScript). */
import type { Child, FC } from 'hono/jsx';
import { formatVnDate, vnLocalParts } from '../../calendar/localDate.js';
import type { Translate } from '../../platform/i18n.js';
import type { FieldErrors } from '../../platform/layout.js';
import type { Paper } from '../../catalog/procedure.js';

/** An error link: to a field on this page (`#f-…`) or to the page that fixes it. */
export interface ErrorLink {
  href: string;
  text: string;
}

/** The platform's summary markup, for errors that may point to another page. */
export const LinkedErrorSummary: FC<{ t: Translate; items: ErrorLink[] }> = ({ t, items }) =>
  items.length ? (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{t('form.errors.title')}</h2>
      <p>{t('form.errors.intro')}</p>
      <ul>
        {items.map((i) => (
          <li>
            <a href={i.href}>{i.text}</a>
          </li>
        ))}
      </ul>
    </div>
  ) : null;

export function fieldLinks(errors: FieldErrors): ErrorLink[] {
  return Object.entries(errors).map(([f, text]) => ({ href: `#f-${f}`, text }));
}

export { ACCEPT, Checkbox, FileInput, Radios, Select, TextArea, type Option } from '../../platform/ui.js';

export const BackLink: FC<{ href: string | null }> = ({ href }) =>
  href ? (
    <p class="back-link no-print">
      <a href={href}>← Quay lại</a>
    </p>
  ) : null;

export const Progress: FC<{ at: number; of: number }> = ({ at, of }) => (
  <p class="progress-step">
    Bước {at} trên {of}
  </p>
);

/** "Originals 1, copies 0" in words, as on the paper checklist. */
export function paperCounts(p: Pick<Paper, 'originals' | 'copies'>): string {
  const parts: string[] = [];
  if (p.originals) parts.push(`${p.originals} bản chính`);
  if (p.copies) parts.push(`${p.copies} bản sao`);
  return parts.join(', ');
}

export const SummaryRow: FC<{ label: string; children?: Child; change?: { href: string; what: string } | undefined }> = ({ label, children, change }) => (
  <div class="summary-row">
    <dt>{label}</dt>
    <dd>{children}</dd>
    {change ? (
      <dd class="summary-change">
        <a href={change.href}>
          Sửa<span class="visually-hidden"> {change.what}</span>
        </a>
      </dd>
    ) : null}
  </div>
);

/** `dd/mm/yyyy` from a stored `YYYY-MM-DD`. */
export function vnDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** `dd/mm/yyyy lúc HH:mm`, Việt Nam time. */
export function vnDateTime(at: Date | string): string {
  const { epochDay, msOfDay } = vnLocalParts(new Date(at).getTime());
  const minutes = Math.floor(msOfDay / 60_000);
  return `${formatVnDate(epochDay)} lúc ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
