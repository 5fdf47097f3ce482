/**
 * Small DOM helpers for the overlays: the status line text, the pick table, transient messages,
 * and a blob download (screenshots).
 */

/** What the status line says about the scene shown. */
export interface StatusFacts {
  title?: string;
  scene: string | null;
  count: number;
  budget: number;
  loadMs?: number;
}

/** The status line: "title › scene · N points (drawing K) · loaded in T s". */
export function statusText(p: StatusFacts): string {
  const drawn = Math.min(p.count, p.budget);
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const parts = [
    [p.title, p.scene].filter(Boolean).join(' › '),
    `${fmt(p.count)} points${drawn < p.count ? ` (drawing ${fmt(drawn)})` : ''}`,
  ];
  if (p.loadMs !== undefined) parts.push(`loaded in ${(p.loadMs / 1000).toFixed(2)} s`);
  return parts.join(' · ');
}

/** Replaces `el`'s content with a two-column table and shows it. */
export function showTable(el: HTMLElement, rows: [string, string][]): void {
  const table = document.createElement('table');
  for (const [k, v] of rows) {
    const tr = table.insertRow();
    tr.insertCell().textContent = k;
    tr.insertCell().textContent = v;
  }
  el.replaceChildren(table);
  el.hidden = false;
}

/** Shows `msg` in `el` for 10 s. */
export function flashMessage(el: HTMLElement | null, msg: string): void {
  if (!el) return;
  const div = document.createElement('div');
  div.textContent = msg;
  el.appendChild(div);
  setTimeout(() => div.remove(), 10_000);
}

/** Shows `msg` in `el` until the user clicks it away (load failures must stay readable). */
export function stickyMessage(el: HTMLElement | null, msg: string): void {
  if (!el) return;
  const div = document.createElement('div');
  div.className = 'sticky';
  div.textContent = msg;
  div.title = 'click to dismiss';
  div.addEventListener('click', () => div.remove());
  el.appendChild(div);
}

/** Saves a blob as a file download. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
