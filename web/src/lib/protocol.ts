// What the page and the crypto worker say to each other, and the API's shapes they share.

export interface Request {
  id: number;
  op: string;
  args: unknown;
}

export interface EnvelopeDto {
  id?: string;
  kind: 'device' | 'kit' | 'assisted';
  label?: string;
  envelope: string;
}

export interface VersionDto {
  document_id: string;
  number: number;
  size: number;
  sha256: string;
  created_at: number;
  metadata: string;
  slot: string | null;
  signature: string | null;
  signer: { id: string; name: string; signing_key: string; organisation?: string } | null;
  signed_recipients: string[];
}

export interface DocumentDto {
  id: string;
  category: string;
  expires_on: string | null;
  created_at: number;
  updated_at: number;
  binned_at: number | null;
  version: VersionDto;
}

/** The sealed metadata of a document (as the crypto crate's `DocumentMetadata`). */
export interface DocumentMeta {
  title: string;
  file_name: string;
  mime_type: string;
  notes?: string;
  /** The day the paper stops being valid (YYYY-MM-DD), sealed with the title. */
  expires_on?: string;
}

export interface SealedUpload {
  descriptor: Record<string, unknown>;
  payload: Blob;
}
