// Dates as the person reads them: the day in France, in the language of the screen; and the
// machine-readable form for <time datetime>.
import type { Lang } from './i18n';

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'fr-FR');

export function day(at: number, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' })
    .format(new Date(at * 1000));
}

export function dayAndTime(at: number, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), {
    day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris',
  }).format(new Date(at * 1000));
}

export const iso = (at: number) => new Date(at * 1000).toISOString();
