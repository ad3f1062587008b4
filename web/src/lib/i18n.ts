// The current language and its catalogue. The choice is kept in localStorage (it is not personal
// data: only "fr" or "en"), so that it survives logout.
import { derived, writable } from 'svelte/store';
import { fr, type Messages } from '../i18n/fr';
import { en } from '../i18n/en';

export const catalogues: Record<string, Messages> = { fr, en };
export type Lang = 'fr' | 'en';
export const LANG_KEY = 'consigne-lang';

function initial(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'fr' || saved === 'en') return saved;
  } catch {
    // Storage may be refused (private mode): French then.
  }
  return 'fr';
}

export const lang = writable<Lang>(initial());
export const t = derived(lang, (l) => catalogues[l] ?? fr);

lang.subscribe((l) => {
  document.documentElement.lang = l;
  try {
    localStorage.setItem(LANG_KEY, l);
  } catch {
    // Not kept: the language goes back to French next time.
  }
});
