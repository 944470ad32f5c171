// Random ids from `crypto.getRandomValues`, which (unlike `crypto.randomUUID`) browsers
// also give to pages served over plain HTTP, as on a street office's intranet.

/** A random UUID (version 4), for command ids: a retry with the same id is applied once. */
export function uuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new issue's id: lowercase letters, digits and hyphens, as the server requires. */
export function issueId(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `issue-${day}-${uuid().slice(0, 8)}`;
}
