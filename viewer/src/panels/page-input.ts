/**
 * Page input: click (without drag) on the canvas picks a point, keys n / p / f / t / s, edits of
 * the URL hash, and the file picker. lil-gui keeps its own key presses.
 */

/** What the input handlers call. */
export interface InputTarget {
  canvas: HTMLCanvasElement;
  fileInput: HTMLInputElement;
  pickAt(x: number, y: number): void;
  step(delta: number): void;
  fit(view: 'iso' | 'top'): void;
  toggleSplit(): void;
  hashChanged(): void;
  openFile(file: File): void;
}

/** Installs the listeners. */
export function bindPageInput(t: InputTarget): void {
  let down: { x: number; y: number } | null = null;
  t.canvas.addEventListener('pointerdown', (e) => {
    down = e.button === 0 ? { x: e.clientX, y: e.clientY } : null;
  });
  t.canvas.addEventListener('pointerup', (e) => {
    if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > 4) return; // a drag orbits
    const r = t.canvas.getBoundingClientRect();
    t.pickAt(e.clientX - r.left, e.clientY - r.top);
  });
  window.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    const keys: Record<string, () => void> = {
      n: () => t.step(1),
      p: () => t.step(-1),
      f: () => t.fit('iso'),
      t: () => t.fit('top'),
      s: () => t.toggleSplit(),
    };
    keys[e.key]?.();
  });
  window.addEventListener('hashchange', () => t.hashChanged());
  t.fileInput.addEventListener('change', () => {
    const f = t.fileInput.files?.[0];
    if (f) t.openFile(f);
    t.fileInput.value = '';
  });
}
