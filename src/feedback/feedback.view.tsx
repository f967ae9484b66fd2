/** Form pieces the feedback pages share (GOV.UK patterns: label, hint, error, then the control). */
import type { Child, FC } from 'hono/jsx';
import type { FieldErrors } from '../platform/layout.js';
import { describedBy, ErrorText, Hint, TextArea as SharedTextArea } from '../platform/ui.js';
import type { FeedbackStatus } from './feedback.tables.js';
import { STATUS_LABELS } from './feedback.service.js';

export { Radios, Select, type Option } from '../platform/ui.js';

/** Feedback text boxes are taller, and styled apart. */
export const TextArea: typeof SharedTextArea = (props) => SharedTextArea({ rows: 6, className: 'fb-textarea', ...props });

export const FileField: FC<{ name: string; label: string; hint?: string; errors?: FieldErrors }> = ({ name, label, hint, errors }) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field fb-file field-error' : 'field fb-file'}>
      <label for={`f-${name}`}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorText name={name} error={error} />
      <input type="file" id={`f-${name}`} name={name} multiple accept="image/jpeg,image/png,image/webp" aria-describedby={describedBy(name, hint, error)} aria-invalid={error ? 'true' : undefined} />
    </div>
  );
};

export const Hidden: FC<{ fields: Record<string, string | number | undefined> }> = ({ fields }) => (
  <>
    {Object.entries(fields).map(([name, value]) => (value === undefined ? null : <input type="hidden" name={name} value={String(value)} />))}
  </>
);

export const StatusTag: FC<{ status: FeedbackStatus }> = ({ status }) => <span class={`tag fb-tag fb-status-${status}`}>{STATUS_LABELS[status]}</span>;

/** Previous / next page links that keep the other query parameters. */
export const Pager: FC<{ base: string; params: Record<string, string | undefined>; page: number; more: boolean }> = ({ base, params, page, more }) => {
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    if (p > 1) q.set('trang', String(p));
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  if (page <= 1 && !more) return null;
  return (
    <nav class="fb-pager" aria-label="Chuyển trang">
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          ← Trang trước
        </a>
      ) : null}
      <span>Trang {page}</span>
      {more ? (
        <a href={href(page + 1)} rel="next">
          Trang sau →
        </a>
      ) : null}
    </nav>
  );
};

/** Paragraphs from plain text (the citizen's line breaks kept, nothing interpreted as markup). */
export const Paragraphs: FC<{ text: string }> = ({ text }) => (
  <>
    {text
      .split(/\n{2,}/)
      .filter((p) => p.trim())
      .map((p) => (
        <p class="fb-pre-line">{p}</p>
      ))}
  </>
);

export const Notice: FC<{ children?: Child; kind?: 'success' | 'info' }> = ({ children, kind = 'success' }) => (
  <p class={kind === 'success' ? 'notice success' : 'notice'} role="status">
    {children}
  </p>
);

/** A page number from `?trang=`: 1…500 (deeper pages are not useful and cost OFFSET scans). */
export function pageNumber(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 500 ? n : 1;
}
