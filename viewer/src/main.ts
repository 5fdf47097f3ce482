/**
 * Entry point: builds the app on the page, wires drag-and-drop of PLY/PCD files, and exposes a
 * small handle on window for the browser tests and the load-time benchmark.
 */
import './style.css';
import { App } from './app/app.js';
import { BROWSER_BACKENDS, type BrowserBackend } from './segment/protocol.js';

function el<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`index.html lacks #${id}`);
  return e as T;
}

/**
 * Query options: ?model=<url of an export folder>&backend=auto|webgpu|webgl|wasm|cpu&maxPoints=N,
 * &threads=N (wasm threads when cross-origin isolated; default every core), and for testing the
 * result check, ?simulateFailure=<backend> (its output becomes zeros).
 */
function segmentOptions(problems: string[]) {
  const q = new URLSearchParams(location.search);
  const backend = (q.get('backend') ?? 'auto') as BrowserBackend;
  const maxPoints = Number(q.get('maxPoints') ?? 2_000_000);
  if (!BROWSER_BACKENDS.includes(backend))
    problems.push(`?backend=${backend}: expected one of ${BROWSER_BACKENDS.join(', ')}; using auto`);
  if (!Number.isInteger(maxPoints) || maxPoints < 1)
    problems.push(`?maxPoints=${q.get('maxPoints')}: expected a positive integer; using 2000000`);
  const threadsArg = q.get('threads');
  const threads = threadsArg === null ? null : Number(threadsArg);
  if (threads !== null && !(Number.isInteger(threads) && threads >= 1))
    problems.push(`?threads=${threadsArg}: expected a positive integer; using every core`);
  const fail = q.get('simulateFailure');
  const backends: readonly string[] = BROWSER_BACKENDS;
  if (fail !== null && (fail === 'auto' || !backends.includes(fail)))
    problems.push(
      `?simulateFailure=${fail}: expected one of ${BROWSER_BACKENDS.slice(1).join(', ')}; ignored`,
    );
  return {
    threads: threads !== null && Number.isInteger(threads) && threads >= 1 ? threads : null,
    simulateFailure: fail !== null && fail !== 'auto' && backends.includes(fail) ? fail : null,
    modelUrl: q.get('model'),
    backend: BROWSER_BACKENDS.includes(backend) ? backend : 'auto',
    maxPoints: Number.isInteger(maxPoints) && maxPoints >= 1 ? maxPoints : 2_000_000,
  };
}

const problems: string[] = [];
const app = new App(
  {
    viewport: el('viewport'),
    boxLabels: el('box-labels'),
    legend: el('legend'),
    status: el('status'),
    pick: el('pick'),
    fileInput: el<HTMLInputElement>('file-input'),
    splitLabels: el('split-labels'),
    segment: {
      box: el('segment'),
      text: el('segment-text'),
      bar: el<HTMLProgressElement>('segment-bar'),
      skipped: el('segment-skipped'),
      download: el<HTMLButtonElement>('segment-download'),
      input: el<HTMLInputElement>('segment-input'),
      dropZone: el('drop-segment'),
    },
  },
  segmentOptions(problems),
);
for (const p of problems) console.warn(`pointcontrast: ${p}`);

const hint = el('drop-hint');
const segmentZone = el('drop-segment');
window.addEventListener('dragover', (e) => {
  e.preventDefault();
  hint.hidden = false;
  app.segmenter.dragging(true);
});
window.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) hint.hidden = true;
});
window.addEventListener('drop', (e) => {
  e.preventDefault();
  // the hint lets events through (pointer-events: none): route by where the file was let go
  const r = segmentZone.hidden ? null : segmentZone.getBoundingClientRect();
  const toSegment =
    !!r && e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
  hint.hidden = true;
  app.segmenter.dragging(false);
  const file = e.dataTransfer?.files[0];
  if (file && toSegment) void app.segmenter.segment(file);
  else if (file) app.openFile(file);
});

declare global {
  interface Window {
    /** Test and benchmark handle (not an API for users). */
    pointcontrastViewer: App;
  }
}
window.pointcontrastViewer = app;
void app.start();
