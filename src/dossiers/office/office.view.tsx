/** Small pieces of the back-office pages: URLs, dates, form fields with their error wiring. */
import type { FC } from 'hono/jsx';
import type { FieldErrors } from '../../platform/layout.js';
import type { ActionName } from '../workflow.js';

export const officeBase = (commune: string) => `/can-bo/xa/${commune}`;
export const queueUrl = (commune: string, slug?: string, extra = '') => `${officeBase(commune)}/ho-so${slug ? `?hang=${slug}${extra}` : ''}`;
export const dossierUrl = (commune: string, id: string) => `${officeBase(commune)}/ho-so/${id}`;
export const fileUrl = (commune: string, id: string, sha256: string) => `${dossierUrl(commune, id)}/tep/${sha256}`;
/** Forms 01–06 and the tracking book (07) are served by the forms module. */
export const formUrl = (commune: string, id: string, form: string) => `${dossierUrl(commune, id)}/mau/${form}`;
export const trackingBookUrl = (commune: string) => `${officeBase(commune)}/so-theo-doi.xlsx`;

/** Each action posts to its own address (so each has its own policy row and tests). */
export const ACTION_SLUGS: Record<ActionName, string> = {
  accept: 'tiep-nhan',
  refuse: 'tu-choi',
  request_supplement: 'yeu-cau-bo-sung',
  resubmit: 'nop-bo-sung',
  assign: 'phan-cong',
  transfer: 'chuyen-tham-quyen',
  appraise: 'tham-dinh',
  approve: 'phe-duyet',
  request_payment: 'yeu-cau-nop-phi',
  confirm_payment: 'xac-nhan-nop-phi',
  return_result: 'tra-ket-qua',
  withdraw: 'rut-ho-so',
  stop: 'dung-giai-quyet',
  apologise: 'xin-loi',
};
export const ACTION_BY_SLUG = new Map(Object.entries(ACTION_SLUGS).map(([a, s]) => [s, a as ActionName]));

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` → `dd/mm/yyyy`. */
export function vnDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** An instant in Việt Nam time: `HH:mm dd/mm/yyyy`. */
export function vnDateTime(at: Date | string | null | undefined): string {
  if (!at) return '';
  const local = new Date(new Date(at).getTime() + 7 * 3_600_000);
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} ${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`;
}

export const DEADLINE_LABELS = { overdue: 'Quá hạn', at_risk: 'Sắp đến hạn', on_time: 'Trong hạn', none: '' } as const;

export const CHANNEL_LABELS = { online: 'Nộp trực tuyến', counter: 'Nộp tại bộ phận một cửa', field: 'Tổ công nghệ số cộng đồng nộp giúp' } as const;

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

const HintError: FC<{ id: string; hint?: string | undefined; error?: string | undefined }> = ({ id, hint, error }) => (
  <>
    {hint ? (
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
    ) : null}
    {error ? (
      <p class="error-message" id={`${id}-error`}>
        {error}
      </p>
    ) : null}
  </>
);

/** Field names are `<form>-<field>`, so several forms on one page keep distinct ids and the summary links to the right one. */
export interface FieldProps {
  form: string;
  name: string;
  label: string;
  hint?: string;
  value?: string | undefined;
  errors: FieldErrors;
}

export const TextArea: FC<FieldProps & { rows?: number }> = ({ form, name, label, hint, value, errors, rows = 3 }) => {
  const id = `f-${form}-${name}`;
  const error = errors[`${form}-${name}`];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      <HintError id={id} hint={hint} error={error} />
      <textarea id={id} name={name} rows={rows} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? 'true' : undefined}>
        {value ?? ''}
      </textarea>
    </div>
  );
};

export const DateInput: FC<FieldProps> = ({ form, name, label, hint, value, errors }) => {
  const id = `f-${form}-${name}`;
  const error = errors[`${form}-${name}`];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      <HintError id={id} hint={hint} error={error} />
      <input id={id} name={name} type="date" value={value} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? 'true' : undefined} />
    </div>
  );
};

export const Select: FC<FieldProps & { options: { value: string; label: string }[]; placeholder: string }> = ({ form, name, label, hint, value, errors, options, placeholder }) => {
  const id = `f-${form}-${name}`;
  const error = errors[`${form}-${name}`];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      <HintError id={id} hint={hint} error={error} />
      <select id={id} name={name} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? 'true' : undefined}>
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
};

/** A group of checkboxes (one per paper): each its own name, so a plain form post keeps them all. */
export const Checkboxes: FC<{ form: string; name: string; legend: string; hint?: string; items: { no: number; label: string }[]; checked: Set<number>; errors: FieldErrors }> = ({
  form,
  name,
  legend,
  hint,
  items,
  checked,
  errors,
}) => {
  const id = `f-${form}-${name}`;
  const error = errors[`${form}-${name}`];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <fieldset aria-describedby={describedBy(id, hint, error)}>
        <legend>{legend}</legend>
        <HintError id={id} hint={hint} error={error} />
        {items.map((it, i) => (
          <div class="checkbox">
            {/* The summary links to the first box of the group. */}
            <input id={i === 0 ? id : `${id}-${it.no}`} type="checkbox" name={`${name}_${it.no}`} value="1" checked={checked.has(it.no)} />
            <label for={i === 0 ? id : `${id}-${it.no}`}>{it.label}</label>
          </div>
        ))}
      </fieldset>
    </div>
  );
};
