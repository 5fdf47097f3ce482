/**
 * Maps a request path onto a file under one root folder, refusing anything that could escape it:
 * `..` (plain or percent-encoded), encoded slashes, NUL bytes, absolute-form targets, dotfiles and
 * symlinks whose real path lies outside the root.
 */
import { realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, sep } from 'node:path';

/** A resolved file, or the HTTP status and reason for refusing the request. */
export type SafePathResult =
  { ok: true; path: string; stats: Stats } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Splits a raw URL path (without query) into decoded segments; null when the path is malformed
 * or tries to traverse (`..`, `.`, `%2e%2e`, `%2f`, `%5c`, NUL, backslash, empty segments).
 */
export function decodePathSegments(rawPath: string): string[] | null {
  if (!rawPath.startsWith('/')) return null; // absolute-form ("http://…") or garbage
  if (/%(2f|5c|00)/i.test(rawPath) || rawPath.includes('\0') || rawPath.includes('\\')) return null;
  const parts = rawPath.slice(1).split('/');
  if (parts.length === 1 && parts[0] === '') return [];
  const out: string[] = [];
  for (const part of parts) {
    let seg: string;
    try {
      seg = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (seg === '' || seg === '.' || seg === '..') return null;
    if (seg.includes('/') || seg.includes('\\') || seg.includes('\0') || /^[a-zA-Z]:/.test(seg)) return null;
    out.push(seg);
  }
  return out;
}

/**
 * Resolves decoded segments to a regular file under `realRoot` (which must already be a real
 * path). Dotfiles are hidden; a symlink is followed only when its target stays inside the root.
 */
export async function resolveUnderRoot(realRoot: string, segments: string[]): Promise<SafePathResult> {
  if (segments.some((s) => s.startsWith('.'))) return { ok: false, status: 404, reason: 'not found' };
  const candidate = join(realRoot, ...segments);
  if (candidate !== realRoot && !candidate.startsWith(realRoot + sep)) {
    return { ok: false, status: 403, reason: 'outside the served folder' };
  }
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    return { ok: false, status: 403, reason: 'link points outside the served folder' };
  }
  const stats = await stat(real);
  if (!stats.isFile()) return { ok: false, status: 404, reason: 'not found' };
  return { ok: true, path: real, stats };
}
