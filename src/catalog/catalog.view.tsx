/** Plain-Vietnamese labels and the small pieces the catalog pages are built from. */
import type { FC } from 'hono/jsx';
import type { Commune } from '../units/units.js';
import type { ProcedureHead } from './commune-offer.store.js';
import type { Channel, ChannelTerms, Fee, Level, OnlineLevel, Paper, PaperCase, Procedure } from './procedure.js';

/** Life events (sự kiện trong cuộc sống), in the order people meet them. */
export const LIFE_EVENTS: readonly { key: string; label: string }[] = [
  { key: 'co-con-nho', label: 'Có con nhỏ' },
  { key: 'hon-nhan-va-gia-dinh', label: 'Kết hôn, gia đình' },
  { key: 'nguoi-than-qua-doi', label: 'Người thân qua đời' },
  { key: 'cu-tru-va-giay-to-tuy-than', label: 'Cư trú và giấy tờ tùy thân' },
  { key: 'hoc-tap', label: 'Học tập' },
  { key: 'viec-lam', label: 'Việc làm, kinh doanh' },
  { key: 'huu-tri', label: 'Nghỉ hưu' },
  { key: 'suc-khoe-va-y-te', label: 'Sức khỏe và y tế' },
  { key: 'phuong-tien-va-nguoi-lai', label: 'Xe cộ và người lái xe' },
  { key: 'dien-luc-nha-o-dat-dai', label: 'Điện, nhà ở, đất đai' },
  { key: 'giai-quyet-khieu-kien', label: 'Khiếu nại, tố cáo, tranh chấp' },
];

export function lifeEventLabel(key: string): string | undefined {
  return LIFE_EVENTS.find((e) => e.key === key)?.label;
}

export const LEVEL_LABELS: Record<Level, string> = {
  commune: 'Cấp xã',
  province: 'Cấp tỉnh',
  ministry: 'Cấp bộ, trung ương',
  vertical: 'Cơ quan ngành dọc',
  other: 'Cơ quan khác',
};

export const ONLINE_SHORT: Record<OnlineLevel, string> = {
  full: 'Nộp trực tuyến toàn trình',
  partial: 'Nộp trực tuyến một phần',
  offline: 'Chỉ nộp trực tiếp',
};

const ONLINE_LONG: Record<OnlineLevel, string> = {
  full: 'Trực tuyến toàn trình: làm được hoàn toàn trên mạng, không phải đến nộp giấy tờ.',
  partial: 'Trực tuyến một phần: nộp hồ sơ trên mạng được, nhưng vẫn có bước phải đến trực tiếp (ví dụ xuất trình bản chính hoặc nhận kết quả).',
  offline: 'Chỉ nộp trực tiếp: thủ tục này chưa nộp trên mạng được.',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  direct: 'Nộp trực tiếp',
  online: 'Nộp trực tuyến',
  postal: 'Gửi qua bưu điện',
};

const FEE_KIND: Record<Fee['kind'], string> = { fee: 'Phí', charge: 'Lệ phí', other: 'Chi phí khác' };
const TIME_UNITS = { working_day: 'ngày làm việc', day: 'ngày', hour: 'giờ', month: 'tháng' } as const;

export const PER_PAGE = 50;

/** 20000 → "20.000" (Vietnamese grouping, without depending on the ICU build). */
export function formatVnd(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** A date as people in Vietnam read it (dd/mm/yyyy, UTC+7). */
export function formatDate(at: string | Date): string {
  const d = new Date(new Date(at).getTime() + 7 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** One fee in words. Unpublished is never "free"; an amount of 0 is. */
export function feeText(f: Fee): string {
  const kind = FEE_KIND[f.kind];
  if (f.unpublished) return `${kind}: Chưa công bố mức phí — hỏi bộ phận một cửa`;
  const text = f.text.trim();
  if (f.amountVnd === 0) return /^(không|không có|miễn|miễn phí)?\.?$/i.test(text) ? `${kind}: Miễn phí` : `${kind}: Miễn phí (${text})`;
  if (f.amountVnd !== null) return text ? `${kind}: ${formatVnd(f.amountVnd)} đồng — ${text}` : `${kind}: ${formatVnd(f.amountVnd)} đồng`;
  return `${kind}: ${text}`;
}

/** Processing time in words, plus the portal's explanation when it gives one. */
export function timeText(ch: ChannelTerms): { main: string; detail: string } {
  const [first = '', ...rest] = ch.timeText.split('\n').map((l) => l.trim());
  if (ch.time && ch.time.unit !== 'other') {
    return { main: `${String(ch.time.qty).replace('.', ',')} ${TIME_UNITS[ch.time.unit]}`, detail: rest.filter(Boolean).join(' ') };
  }
  const all = [first, ...rest].filter(Boolean).join(' ');
  return { main: all || 'Chưa công bố thời hạn giải quyết — hỏi bộ phận một cửa', detail: '' };
}

export function countsText(p: Paper): string {
  const parts: string[] = [];
  if (p.originals) parts.push(`${p.originals} bản chính`);
  if (p.copies) parts.push(`${p.copies} bản sao`);
  return parts.join(', ');
}

function caseTitle(c: PaperCase, of: number): string {
  if (c.name.trim()) return c.name.trim();
  return of > 1 ? 'Giấy tờ khác' : 'Giấy tờ cần có';
}

export function pageHref(path: string, page: number, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  if (page > 1) q.set('trang', String(page));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** ?trang=N, clamped to the pages there are. */
export function pageNumber(raw: string | undefined, total: number): { page: number; pages: number; offset: number } {
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  const n = Number.parseInt(raw ?? '1', 10);
  const page = Number.isFinite(n) ? Math.min(Math.max(n, 1), pages) : 1;
  return { page, pages, offset: (page - 1) * PER_PAGE };
}

// ---- Components ----------------------------------------------------------

export const Pager: FC<{ path: string; page: number; pages: number; extra?: Record<string, string> }> = ({ path, page, pages, extra }) =>
  pages > 1 ? (
    <nav class="pager" aria-label="Chuyển trang">
      {page > 1 ? (
        <a class="button secondary" href={pageHref(path, page - 1, extra)} rel="prev">
          ← Trang trước
        </a>
      ) : null}
      <span>
        Trang {page} trên {pages}
      </span>
      {page < pages ? (
        <a class="button secondary" href={pageHref(path, page + 1, extra)} rel="next">
          Trang sau →
        </a>
      ) : null}
    </nav>
  ) : null;

export const ProcedureList: FC<{ items: ProcedureHead[]; query?: string }> = ({ items, query = '' }) => (
  <ul class="list-plain procedure-list">
    {items.map((p) => (
      <li>
        <a href={`/thu-tuc/${p.code}${query}`}>{p.name}</a>
        <span class="meta">
          Mã {p.code} · {p.levels.map((l) => LEVEL_LABELS[l]).join(', ') || 'Chưa rõ cấp'} · {ONLINE_SHORT[p.onlineLevel]}
        </span>
      </li>
    ))}
  </ul>
);

/** Guidance notes, apart from the papers; long ones folded (details works without JavaScript). */
const Notes: FC<{ notes: string[]; title?: string }> = ({ notes, title }) => {
  const list = (
    <ul>
      {notes.map((n) => (
        <li>{n}</li>
      ))}
    </ul>
  );
  return notes.length > 3 ? (
    <details class="notes more">
      <summary>
        {title ?? 'Xem các lưu ý'} ({notes.length} ý)
      </summary>
      {list}
    </details>
  ) : (
    <div class="notes">
      {title ? <p class="notes-title">{title}</p> : null}
      {list}
    </div>
  );
};

const PaperItem: FC<{ paper: Paper; id: string }> = ({ paper, id }) => (
  <li class="checkbox">
    <input type="checkbox" id={id} />
    <label for={id}>
      {paper.name}
      {countsText(paper) ? <strong class="paper-count">{countsText(paper)}</strong> : null}
      {paper.forms.map((f) => (
        // The data's form URLs are the portal's storage paths, not links anyone can open.
        <span class="form-note">
          Mẫu: {f.name} (mẫu có tại bộ phận một cửa / Cổng DVC quốc gia)
        </span>
      ))}
    </label>
  </li>
);

/** The papers to bring, by case, with tick boxes; notes kept apart from papers. */
export const Checklist: FC<{ cases: PaperCase[]; idPrefix: string; notes?: boolean }> = ({ cases, idPrefix, notes = true }) => {
  const shown = cases.filter((c) => c.papers.length || (notes && c.notes.length));
  if (!shown.length) return <p>Cổng Dịch vụ công quốc gia chưa công bố thành phần hồ sơ của thủ tục này — hỏi bộ phận một cửa.</p>;
  return (
    <>
      {shown.map((c, i) => (
        <section class="paper-case">
          <h3>{caseTitle(c, shown.length)}</h3>
          {c.papers.length ? (
            <ul class="checklist">
              {c.papers.map((paper, j) => (
                <PaperItem paper={paper} id={`${idPrefix}-${i}-${j}`} />
              ))}
            </ul>
          ) : null}
          {notes && c.notes.length ? <Notes notes={c.notes} title={c.papers.length ? 'Lưu ý' : undefined} /> : null}
        </section>
      ))}
    </>
  );
};

interface TermsGroup {
  channels: Channel[];
  time: { main: string; detail: string };
  fees: string[];
}

/** Channels with the same time and fees are shown once ("Nộp trực tiếp, Nộp trực tuyến: …"), keeping the portal's order. */
export function groupTerms(channels: ChannelTerms[]): TermsGroup[] {
  const groups = new Map<string, TermsGroup>();
  for (const ch of channels) {
    const time = timeText(ch);
    const fees = ch.fees.map(feeText);
    const key = JSON.stringify([time, fees]);
    const g = groups.get(key);
    if (g) {
      if (!g.channels.includes(ch.channel)) g.channels.push(ch.channel);
    } else groups.set(key, { channels: [ch.channel], time, fees });
  }
  return [...groups.values()];
}

/** Fees and processing time, by channel. */
export const ChannelTermsList: FC<{ channels: ChannelTerms[] }> = ({ channels }) =>
  channels.length ? (
    <ul class="list-plain terms">
      {groupTerms(channels).map((g) => (
        <li>
          <strong>{g.channels.map((c) => CHANNEL_LABELS[c]).join(', ')}</strong>
          <p>
            Thời hạn giải quyết: {g.time.main}
            {g.time.detail ? <span class="meta">{g.time.detail}</span> : null}
          </p>
          {g.fees.length ? (
            <ul>
              {g.fees.map((f) => (
                <li>{f}</li>
              ))}
            </ul>
          ) : (
            <p>Phí, lệ phí: Cổng DVC quốc gia không ghi — hỏi bộ phận một cửa</p>
          )}
        </li>
      ))}
    </ul>
  ) : (
    <p>Chưa công bố cách nộp, thời hạn và phí — hỏi bộ phận một cửa.</p>
  );

export const OnlineLevelNote: FC<{ p: Pick<Procedure, 'onlineLevel' | 'onlineLevelDisputed'> }> = ({ p }) => (
  <>
    <p>{ONLINE_LONG[p.onlineLevel]}</p>
    {p.onlineLevelDisputed ? (
      <p class="notice">Dữ liệu trên Cổng Dịch vụ công quốc gia chưa thống nhất về việc nộp trực tuyến thủ tục này. Hãy hỏi bộ phận một cửa trước khi nộp trên mạng.</p>
    ) : null}
  </>
);

/** "Where and how to submit": for the chosen commune, or the province-wide rule. */
export const WhereToSubmit: FC<{ p: Procedure; commune: Commune | null; offered: boolean | null }> = ({ p, commune, offered }) => {
  const communeLevel = p.levels.includes('commune');
  const online = p.channels.some((c) => c.channel === 'online') && p.onlineLevel !== 'offline';
  const agencies = p.agencies.length ? p.agencies.join('; ') : null;
  return (
    <div class="where">
      {commune && offered ? (
        <p class="notice success">
          <strong>{commune.name}</strong> nhận hồ sơ thủ tục này. Nộp tại: <strong>Bộ phận một cửa UBND {commune.name}</strong>.
        </p>
      ) : null}
      {commune && !offered ? (
        <p class="notice">
          <strong>{commune.name}</strong> không giải quyết thủ tục này.{' '}
          {communeLevel ? 'Bạn có thể nộp ở bộ phận một cửa của xã, phường khác trong tỉnh.' : 'Hãy nộp ở cơ quan có thẩm quyền nêu dưới đây.'}
        </p>
      ) : null}
      {communeLevel ? (
        <p>
          Thủ tục cấp xã được nhận tại Bộ phận một cửa của <strong>bất kỳ xã, phường nào trong tỉnh</strong>, không phụ thuộc nơi bạn cư trú (Nghị định 118/2025/NĐ-CP).
        </p>
      ) : (
        <p>Thủ tục này không do cấp xã giải quyết.{agencies ? ` Cơ quan giải quyết: ${agencies}.` : ''} Bộ phận một cửa của xã có thể hướng dẫn bạn nơi nộp.</p>
      )}
      {online ? (
        <p>
          Nộp trên mạng: Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) hoặc ứng dụng VNeID.
        </p>
      ) : null}
    </div>
  );
};

export const CommunePicker: FC<{ action: string; communes: readonly Commune[]; selected: string | null }> = ({ action, communes, selected }) => (
  <form method="get" action={action} class="commune-picker no-print">
    <label for="f-xa">Xã, phường của bạn</label>
    <div class="picker-row">
      <select id="f-xa" name="xa">
        <option value="">— Chọn xã, phường —</option>
        {communes.map((c) => (
          <option value={c.code} selected={c.code === selected}>
            {c.name}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary">
        Xem nơi nộp
      </button>
    </div>
  </form>
);
