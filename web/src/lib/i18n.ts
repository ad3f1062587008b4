// The current language and its catalogue. The choice is kept in localStorage (it is not personal
// data: only "fr" or "en"), so that it survives logout. French is in the first screen's script;
// another language is fetched when chosen (a cheap phone on a prepaid plan loads only its own).
import { derived, writable } from 'svelte/store';
import { fr, type Messages } from '../i18n/fr';

export type Lang = 'fr' | 'en';
export const LANG_KEY = 'consigne-lang';

const loaded: Partial<Record<Lang, Messages>> = { fr };
const loaders: Record<Lang, () => Promise<Messages>> = {
  fr: async () => fr,
  en: async () => (await import('../i18n/en')).en,
};

function saved(): Lang {
  try {
    const value = localStorage.getItem(LANG_KEY);
    if (value === 'fr' || value === 'en') return value;
  } catch {
    // Storage may be refused (private mode): French then.
  }
  return 'fr';
}

export const lang = writable<Lang>('fr');
export const t = derived(lang, (l) => loaded[l] ?? fr);

/** Switches to `l` once its catalogue is here (French meanwhile, or if it cannot be fetched). */
export async function chooseLang(l: Lang): Promise<void> {
  try {
    loaded[l] ??= await loaders[l]();
    lang.set(l);
  } catch {
    lang.set('fr');
    return;
  }
  try {
    localStorage.setItem(LANG_KEY, l);
  } catch {
    // Not kept: the language goes back to French next time.
  }
}

/** The saved language, ready before the first screen is drawn. */
export const ready: Promise<void> = chooseLang(saved());

lang.subscribe((l) => {
  document.documentElement.lang = l;
});
