/**
 * Entry point: builds the app on the page, wires drag-and-drop of PLY/PCD files, and exposes a
 * small handle on window for the browser tests and the load-time benchmark.
 */
import './style.css';
import { App } from './app.js';

function el<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`index.html lacks #${id}`);
  return e as T;
}

const app = new App({
  viewport: el('viewport'),
  boxLabels: el('box-labels'),
  legend: el('legend'),
  status: el('status'),
  pick: el('pick'),
  fileInput: el<HTMLInputElement>('file-input'),
  splitLabels: el('split-labels'),
});

const hint = el('drop-hint');
window.addEventListener('dragover', (e) => {
  e.preventDefault();
  hint.hidden = false;
});
window.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) hint.hidden = true;
});
window.addEventListener('drop', (e) => {
  e.preventDefault();
  hint.hidden = true;
  const file = e.dataTransfer?.files[0];
  if (file) app.openFile(file);
});

declare global {
  interface Window {
    /** Test and benchmark handle (not an API for users). */
    pointcontrastViewer: App;
  }
}
window.pointcontrastViewer = app;
void app.start();
