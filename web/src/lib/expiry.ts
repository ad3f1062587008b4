// The expiry date of a paper (sealed with its title): whether it is past, or within 60 days.

export const SOON_DAYS = 60;

export type ExpiryState = 'expired' | 'soon' | 'valid';

/** `YYYY-MM-DD` → that day at 00:00 UTC, or null if it is not such a date. */
export function parseDay(day: string | undefined | null): number | null {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day ? null : t;
}

/** Today as `YYYY-MM-DD` in the person's own time zone. */
export function today(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** A paper expiring on `day` is expired from the day after, and "soon" within 60 days. */
export function expiryState(day: string | undefined | null, now = new Date()): ExpiryState | null {
  const end = parseDay(day);
  const start = parseDay(today(now));
  if (end === null || start === null) return null;
  const days = Math.round((end - start) / 86_400_000);
  if (days < 0) return 'expired';
  return days <= SOON_DAYS ? 'soon' : 'valid';
}

/** `YYYY-MM-DD` written for the person (`fr-FR`: 12/01/2027). */
export function formatDay(day: string, locale: string): string {
  const t = parseDay(day);
  return t === null ? day : new Date(t).toLocaleDateString(locale, { timeZone: 'UTC' });
}
