// Dates and money as staff read them. Moments are shown in Asia/Shanghai whatever the
// browser's zone; calendar dates (the schema's `Date`) have no zone and are never shifted.

export const ZONE = 'Asia/Shanghai';

function locale(lang: string): string {
  return lang.startsWith('en') ? 'en-GB' : 'zh-CN';
}

/** A moment (RFC 3339) in Shanghai time: `2023/08/04 09:30`. */
export function formatDateTime(value: string | null | undefined, lang = 'zh'): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const parts = new Intl.DateTimeFormat(locale(lang), {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`;
}

/** A calendar date (`2023-08-04`): `2023年8月4日`, or `4 Aug 2023` in English. */
export function formatDate(value: string | null | undefined, lang = 'zh'): string {
  if (!value) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const [, y, m, d] = match;
  if (lang.startsWith('en')) {
    const month = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(Number(y), Number(m) - 1, 1)),
    );
    return `${Number(d)} ${month} ${y}`;
  }
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** Today's date in Shanghai (`2023-08-04`). */
export function shanghaiToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(now);
}

/** A Shanghai wall-clock date and time (`2023-08-04`, `09:30`) as an RFC 3339 moment. */
export function shanghaiMoment(date: string, time: string): string {
  return `${date}T${time.length === 5 ? `${time}:00` : time}+08:00`;
}

/** The current moment as Shanghai wall-clock time, for a form's default. */
export function shanghaiNow(now = new Date()): { date: string; time: string } {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(now);
  return { date: shanghaiToday(now), time };
}

/** An amount in fen as yuan: `¥1,234.50`. */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const yuan = (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `¥${yuan}`;
}

/** A count with grouping: `7,013`. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('zh-CN');
}

/** The calendar day after `date` (`2023-08-31` → `2023-09-01`). */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1)).toISOString().slice(0, 10);
}
