import { describe, expect, it } from 'vitest';
import { auditQuery, endingWithin } from './organisation';

describe('organisation', () => {
  it('leaves the empty filters out of the journal query', () => {
    expect(auditQuery({ actor: 'a1', usager: '', action: 'document.downloaded', from: '', to: '2026-12-01' }, { format: 'csv', before: '' }))
      .toBe('actor=a1&action=document.downloaded&to=2026-12-01&format=csv');
    expect(auditQuery({})).toBe('');
  });

  it('keeps the mandates in force ending within the window, soonest first', () => {
    const day = 86_400;
    const now = 1_000 * day;
    const m = (id: string, in_force: boolean, expires_at: number | null) => ({ id, in_force, expires_at });
    const list = [
      m('year', true, now + 365 * day), m('week', true, now + 7 * day), m('tomorrow', true, now + day),
      m('revoked', false, now + 2 * day), m('none', true, null), m('past', true, now - 1), m('edge', true, now + 30 * day),
    ];
    expect(endingWithin(list, now, 30).map((x) => x.id)).toEqual(['tomorrow', 'week', 'edge']);
  });
});
