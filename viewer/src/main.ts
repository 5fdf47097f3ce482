/**
 * Entry point: builds the app on the page's elements, wires drag-and-drop of PLY/PCD files, and
 * exposes a small handle on window for the browser tests and the load-time benchmark.
 */
import './style.css';
import { App } from './app/app.js';
import { bindFileDrop } from './panels/drop-zone.js';
import { segmentOptions } from './segment/page-options.js';

function el<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`index.html lacks #${id}`);
  return e as T;
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
  segmentOptions(location.search, problems),
);
for (const p of problems) console.warn(`pointcontrast: ${p}`);

bindFileDrop({
  hint: el('drop-hint'),
  segmentZone: el('drop-segment'),
  dragging: (on) => app.segmenter.dragging(on),
  open: (file) => app.openFile(file),
  segment: (file) => void app.segmenter.segment(file),
});

declare global {
  interface Window {
    /** Test and benchmark handle (not an API for users). */
    pointcontrastViewer: App;
  }
}
window.pointcontrastViewer = app;
void app.start();
