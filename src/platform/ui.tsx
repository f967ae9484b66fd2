/** The form controls every feature uses (GOV.UK patterns: label, hint, error, then the control; no JavaScript). */
import type { FC } from 'hono/jsx';
import type { FieldErrors } from './layout.js';

export function describedBy(name: string, hint: string | undefined, error: string | undefined): string | undefined {
  return [hint ? `f-${name}-hint` : '', error ? `f-${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

export const Hint: FC<{ name: string; hint?: string | undefined }> = ({ name, hint }) =>
  hint ? (
    <p class="hint" id={`f-${name}-hint`}>
      {hint}
    </p>
  ) : null;

export const ErrorText: FC<{ name: string; error?: string | undefined }> = ({ name, error }) =>
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

export const Select: FC<{ name: string; label: string; hint?: string; options: Option[]; value?: string | undefined; errors?: FieldErrors; placeholder?: string }> = ({
  name,
  label,
  hint,
  options,
  value,
  errors,
  placeholder,
}) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorText name={name} error={error} />
      <select id={`f-${name}`} name={name} aria-describedby={describedBy(name, hint, error)} aria-invalid={error ? 'true' : undefined}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
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

export const TextArea: FC<{ name: string; label: string; hint?: string; value?: string | undefined; errors?: FieldErrors; rows?: number; maxLength?: number; className?: string }> = ({
  name,
  label,
  hint,
  value,
  errors,
  rows = 4,
  maxLength,
  className,
}) => {
  const error = errors?.[name];
  const base = className ? `field ${className}` : 'field';
  return (
    <div class={error ? `${base} field-error` : base}>
      <label for={`f-${name}`}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorText name={name} error={error} />
      <textarea id={`f-${name}`} name={name} rows={rows} maxlength={maxLength} aria-describedby={describedBy(name, hint, error)} aria-invalid={error ? 'true' : undefined}>
        {value ?? ''}
      </textarea>
    </div>
  );
};

export const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

export const FileInput: FC<{ name: string; label: string; hint?: string; errors?: FieldErrors; accept?: string }> = ({ name, label, hint, errors, accept = ACCEPT }) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorText name={name} error={error} />
      <input type="file" id={`f-${name}`} name={name} accept={accept} class="file-input" aria-describedby={describedBy(name, hint, error)} aria-invalid={error ? 'true' : undefined} />
    </div>
  );
};

