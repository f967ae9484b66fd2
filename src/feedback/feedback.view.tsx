/** Form pieces the feedback pages share (GOV.UK patterns: label, hint, error, then the control). */
import type { Child, FC } from 'hono/jsx';
import type { FieldErrors } from '../platform/layout.js';
import type { FeedbackStatus } from './feedback.tables.js';
import { STATUS_LABELS } from './feedback.service.js';

function describedBy(name: string, hint: string | undefined, error: string | undefined): string | undefined {
  return [hint ? `f-${name}-hint` : '', error ? `f-${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

const Hint: FC<{ name: string; hint?: string | undefined }> = ({ name, hint }) =>
  hint ? (
    <p class="hint" id={`f-${name}-hint`}>
      {hint}
    </p>
  ) : null;

const ErrorText: FC<{ name: string; error?: string | undefined }> = ({ name, error }) =>
  error ? (
    <p class="error-message" id={`f-${name}-error`}>
      {error}
    </p>
  ) : null;

export const TextArea: FC<{ name: string; label: string; hint?: string; value?: string | undefined; errors?: FieldErrors; rows?: number; maxLength?: number }> = ({
  name,
  label,
  hint,
  value,
  errors,
  rows = 6,
  maxLength,
}) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field fb-textarea field-error' : 'field fb-textarea'}>
      <label for={`f-${name}`}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorText name={name} error={error} />
      <textarea id={`f-${name}`} name={name} rows={rows} maxlength={maxLength} aria-describedby={describedBy(name, hint, error)} aria-invalid={error ? 'true' : undefined}>
        {value ?? ''}
      </textarea>
    </div>
  );
};

export interface Option {
  value: string;
  label: string;
  hint?: string;
}

/** Radios in a fieldset; the first one carries `f-<name>` so the error summary can link to it. */
export const Radios: FC<{ name: string; legend: string; hint?: string; options: Option[]; value?: string | undefined; errors?: FieldErrors }> = ({
  name,
  legend,
  hint,
  options,
  value,
  errors,
}) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <fieldset class="fb-radios" aria-describedby={describedBy(name, hint, error)}>
        <legend>{legend}</legend>
        <Hint name={name} hint={hint} />
        <ErrorText name={name} error={error} />
        {options.map((o, i) => {
          const id = i === 0 ? `f-${name}` : `f-${name}-${i + 1}`;
          return (
            <div class="fb-radio">
              <input type="radio" id={id} name={name} value={o.value} checked={value === o.value} aria-describedby={o.hint ? `${id}-hint` : undefined} />
              <div>
                <label for={id}>{o.label}</label>
                {o.hint ? (
                  <p class="hint" id={`${id}-hint`}>
                    {o.hint}
                  </p>
                ) : null}
              </div>
            </div>
          );
        })}
      </fieldset>
    </div>
  );
};

export const Select: FC<{ name: string; label: string; hint?: string; options: Option[]; value?: string | undefined; errors?: FieldErrors }> = ({ name, label, hint, options, value, errors }) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorText name={name} error={error} />
      <select id={`f-${name}`} name={name} aria-describedby={describedBy(name, hint, error)} aria-invalid={error ? 'true' : undefined}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
};

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
