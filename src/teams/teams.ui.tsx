import type { Child, FC } from 'hono/jsx';
import type { FieldErrors, PageCtx } from '../platform/layout.js';
import { ErrorText } from '../platform/ui.js';
import { grantsAllow } from '../platform/permissions.js';
import { provinceOf, unitName } from '../units/units.js';

export const base = (commune: string) => `/can-bo/xa/${commune}/to-cns`;

/** A small number box; several sit side by side on a phone. */
export const CountField: FC<{ name: string; label: string; value?: string | undefined; errors?: FieldErrors }> = ({ name, label, value, errors }) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'tcns-count field-error' : 'tcns-count'}>
      <label for={`f-${name}`}>{label}</label>
      <ErrorText name={name} error={error} />
      <input
        id={`f-${name}`}
        name={name}
        type="text"
        inputmode="numeric"
        pattern="[0-9]*"
        autocomplete="off"
        value={value}
        aria-describedby={error ? `f-${name}-error` : undefined}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
};

/** The teams area's own menu, for the commune in view; only what the actor may open. */
export const TeamsNav: FC<{ ctx: PageCtx; commune: string; current: string }> = ({ ctx, commune, current }) => {
  const grants = ctx.actor?.grants ?? [];
  const may = (p: 'teams.log' | 'teams.manage' | 'teams.coverage') => grantsAllow(grants, p, commune, provinceOf);
  const items: [string, string, boolean][] = [
    ['nhat-ky', 'Ghi nhật ký', may('teams.log')],
    ['do-phu', 'Độ phủ', may('teams.coverage')],
    ['bao-cao', 'Báo cáo tháng', may('teams.coverage')],
    ['huong-dan', 'Hướng dẫn', may('teams.log')],
    ['', 'Tổ và thành viên', may('teams.manage')],
  ];
  return (
    <nav class="tcns-nav no-print" aria-label={`Tổ công nghệ số — ${unitName(commune) ?? commune}`}>
      <p class="tcns-nav-title">
        <a href="/can-bo/to-cns">Tổ công nghệ số</a> · {unitName(commune) ?? commune}
      </p>
      <ul>
        {items
          .filter(([, , ok]) => ok)
          .map(([path, label]) => (
            <li>
              <a href={path ? `${base(commune)}/${path}` : base(commune)} aria-current={current === path ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
};

export const Notice: FC<{ children?: Child; kind?: 'success' | 'info' }> = ({ children, kind = 'success' }) => (
  <p class={kind === 'success' ? 'notice success' : 'notice'} role="status">
    {children}
  </p>
);

/** Wide tables scroll sideways inside the page on a phone; keyboard users can scroll them too. */
export const Scroll: FC<{ label: string; children?: Child }> = ({ label, children }) => (
  <div class="tcns-scroll" role="region" aria-label={label} tabindex={0}>
    {children}
  </div>
);

export function num(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('vi-VN');
}
