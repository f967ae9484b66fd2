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

export interface Option {
  value: string;
  label: string;
  hint?: string;
}

/** A question answered by one choice: the legend is the question (and the page heading when `asHeading`). */
export const Radios: FC<{ name: string; legend: string; hint?: string; options: Option[]; value?: string | undefined; errors?: FieldErrors; asHeading?: boolean }> = ({
  name,
  legend,
  hint,
  options,
  value,
  errors,
  asHeading,
}) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <fieldset aria-describedby={describedBy(name, hint, error)}>
        <legend class={asHeading ? 'legend-heading' : undefined}>{asHeading ? <h1>{legend}</h1> : legend}</legend>
        <Hint name={name} hint={hint} />
        <ErrorText name={name} error={error} />
        <div class="radios">
          {options.map((o, i) => {
            const id = i === 0 ? `f-${name}` : `f-${name}-${i}`;
            return (
              <div class="radio">
                <input type="radio" id={id} name={name} value={o.value} checked={o.value === value} aria-describedby={o.hint ? `${id}-hint` : undefined} />
                <div>
                  <label for={id}>{o.label}</label>
                  {o.hint ? (
                    <p class="hint radio-hint" id={`${id}-hint`}>
                      {o.hint}
                    </p>
                  ) : null}
                </div>
              </div>
            );
          })}
        </div>
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

export const Checkbox: FC<{ name: string; label: string; errors?: FieldErrors; checked?: boolean }> = ({ name, label, errors, checked }) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <ErrorText name={name} error={error} />
      <div class="checkbox">
        <input
          id={`f-${name}`}
          type="checkbox"
          name={name}
          value="yes"
          checked={checked}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `f-${name}-error` : undefined}
        />
        <label for={`f-${name}`}>{label}</label>
      </div>
    </div>
  );
};

export const TextArea: FC<{ name: string; label: string; hint?: string; value?: string | undefined; errors?: FieldErrors; rows?: number }> = ({ name, label, hint, value, errors, rows = 4 }) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorText name={name} error={error} />
      <textarea id={`f-${name}`} name={name} rows={rows} aria-describedby={describedBy(name, hint, error)} aria-invalid={error ? 'true' : undefined}>
        {value ?? ''}
      </textarea>
    </div>
  );
};

export const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

export const FileInput: FC<{ name: string; label: string; hint?: string; errors?: FieldErrors }> = ({ name, label, hint, errors }) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorText name={name} error={error} />
      <input type="file" id={`f-${name}`} name={name} accept={ACCEPT} aria-describedby={describedBy(name, hint, error)} aria-invalid={error ? 'true' : undefined} />
    </div>
  );
};

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
