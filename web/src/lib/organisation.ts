// A professional's organisations and the one this session acts for; the référent's calls: the organisation's members and invitations, its journal (and the
// server's CSV of it), its monthly indicators and its mandates. The server decides on every
// request whether the session may (a référent of the organisation chosen in this session).
import { ApiError, get, request } from './api';
import type { MandateView } from './mandates';

export interface Membership {
  organisation_id: string;
  name: string;
  role: 'aidant' | 'referent';
  suspended: boolean;
  chosen: boolean;
}

/** The organisations the signed-in professional belongs to. */
export const memberships = () => get<Membership[]>('/api/v1/account/organisations');

/** Acts for `organisationId` in this session (journaled in its name from now on). */
export const chooseOrganisation = (organisationId: string) =>
  request<{ organisation_id: string; role: string }>('PUT', '/api/v1/session/organisation', { organisation_id: organisationId });

/** The organisation this session acts for, or null (none chosen yet, or not a professional). */
export async function chosenOrganisation(): Promise<Membership | null> {
  try {
    return (await memberships()).find((m) => m.chosen) ?? null;
  } catch {
    return null;
  }
}

export interface Member {
  user_id: string;
  given_name: string;
  family_name: string;
  preferred_username: string | null;
  role: 'aidant' | 'referent';
  suspended: boolean;
  member_since: number;
  account_key_recipient: string | null;
}

export interface Invitation {
  id: string;
  email: string;
  role: 'aidant' | 'referent';
  created_at: number;
  expires_at: number;
  invited_by: string | null;
}

export const members = () => get<Member[]>('/api/v1/organisation/members');
export const invitations = () => get<Invitation[]>('/api/v1/organisation/invitations');

/** Invites `email` (the server sends the link by e-mail). */
export const invite = (email: string, role: 'aidant' | 'referent') =>
  request<{ id: string; expires_at: number }>('POST', '/api/v1/organisation/invitations', { email, role });
export const cancelInvitation = (id: string) =>
  request<void>('DELETE', `/api/v1/organisation/invitations/${encodeURIComponent(id)}`);
export const suspend = (user: string) =>
  request<void>('POST', `/api/v1/organisation/members/${encodeURIComponent(user)}/suspension`);
export const reinstate = (user: string) =>
  request<void>('DELETE', `/api/v1/organisation/members/${encodeURIComponent(user)}/suspension`);
export const remove = (user: string) =>
  request<{ grants_deleted: number }>('DELETE', `/api/v1/organisation/members/${encodeURIComponent(user)}`);

export interface AuditEntry {
  seq: number;
  at: number;
  action: string;
  outcome: string;
  text: string;
  actor: { id: string; name: string | null } | null;
  role: string | null;
  usager: { id: string; name: string | null } | null;
  category: string | null;
}

export interface AuditFilter {
  actor?: string;
  usager?: string;
  action?: string;
  /** Days, YYYY-MM-DD, both included. */
  from?: string;
  to?: string;
}

/** The query string of `filter` (empty fields left out), with `extra` added. */
export function auditQuery(filter: AuditFilter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filter, ...extra })) if (v) q.set(k, v);
  return q.toString();
}

export const journal = (filter: AuditFilter, before: number | null, limit = 20) =>
  get<{ entries: AuditEntry[]; next: number | null }>(
    `/api/v1/organisation/journal?${auditQuery(filter, { limit: String(limit), before: before ? String(before) : '' })}`);

/** The server's CSV of the filtered journal (no document title or file name: it has none). */
export async function journalCsv(filter: AuditFilter): Promise<Blob> {
  const res = await fetch(`/api/v1/organisation/journal?${auditQuery(filter, { format: 'csv' })}`,
    { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw new ApiError(res.status, 'unknown', res.statusText);
  return res.blob();
}

export interface MonthFigures {
  /** YYYY-MM. */
  month: string;
  usagers_accompanied: number;
  mandates_created: number;
  mandates_in_force: number;
  mandates_revoked: number;
  mandates_expired: number;
  documents_uploaded: number;
  documents_accessed: number;
  aidants_active: number;
  actions: number;
}

/** The figures of the last `months` months, oldest first (the order of a chart). */
export async function indicators(months = 6): Promise<MonthFigures[]> {
  return (await get<MonthFigures[]>(`/api/v1/organisation/indicators?months=${months}`)).reverse();
}

/** A mandate as the organisation's members see it: with the person it is for, once known. */
export type OrgMandate = MandateView & { usager: { id: string; name: string } | null };

/** The organisation's mandates in force that end within `days` days of `now`, soonest first. */
export async function endingSoon(now: number, days = 30): Promise<OrgMandate[]> {
  const out: OrgMandate[] = [];
  let after = '';
  // A référent sees every mandate of the organisation; a few pages at most in practice.
  for (let page = 0; page < 20; page++) {
    const q = new URLSearchParams({ status: 'active', limit: '200' });
    if (after) q.set('after', after);
    const res = await get<{ mandates: OrgMandate[]; next: string | null }>(`/api/v1/mandates?${q}`);
    out.push(...res.mandates);
    if (!res.next) break;
    after = res.next;
  }
  return endingWithin(out, now, days);
}

/** Of `mandates`, those in force that end within `days` days of `now`, soonest first. */
export function endingWithin<M extends Pick<MandateView, 'in_force' | 'expires_at'>>(mandates: M[], now: number, days: number): M[] {
  const limit = now + days * 86_400;
  return mandates
    .filter((m) => m.in_force && m.expires_at !== null && m.expires_at > now && m.expires_at <= limit)
    .sort((a, b) => (a.expires_at ?? 0) - (b.expires_at ?? 0));
}
