// Automatic lock: `onIdle` runs once after `ms` without a key, a touch, a click or a scroll.
export function startIdleLock(ms: number, onIdle: () => void): () => void {
  let timer = setTimeout(onIdle, ms);
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
  };
  const events = ['keydown', 'pointerdown', 'scroll', 'touchstart'] as const;
  for (const e of events) window.addEventListener(e, reset, { passive: true });
  return () => {
    clearTimeout(timer);
    for (const e of events) window.removeEventListener(e, reset);
  };
}
