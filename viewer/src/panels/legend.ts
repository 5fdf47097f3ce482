/**
 * The legend panel: class rows with swatch, name, point count and IoU; click hides/shows a class,
 * shift-click or double-click isolates it (again: show all); or a ramp bar for scalar modes.
 */
import { rampColor, type RampName } from '../colors/color-ramp.js';
import type { LegendRow } from './legend-model.js';

/** What the legend shows: a title, then a ramp bar and/or class rows, then a footer line. */
export interface LegendContent {
  title: string;
  ramp?: { name: RampName; min: number; max: number };
  rows?: LegendRow[];
  footer?: string;
}

const fmt = (v: number): string =>
  Math.abs(v) >= 1000 || v === Math.round(v) ? v.toFixed(0) : v.toPrecision(3);

export class Legend {
  constructor(
    private readonly el: HTMLElement,
    private readonly onClick: (row: LegendRow, rows: LegendRow[], isolate: boolean) => void,
    private readonly onShowAll: () => void,
  ) {}

  /** Replaces the legend's content. */
  show(c: LegendContent | null): void {
    this.el.replaceChildren();
    this.el.hidden = c === null;
    if (c === null) return;
    const title = document.createElement('div');
    title.className = 'legend-title';
    title.textContent = c.title;
    this.el.appendChild(title);
    if (c.ramp) this.ramp(c.ramp.name, c.ramp.min, c.ramp.max);
    if (c.rows?.length) this.rows(c.rows);
    if (c.footer) {
      const f = document.createElement('div');
      f.className = 'legend-footer';
      f.textContent = c.footer;
      this.el.appendChild(f);
    }
  }

  private rows(rows: LegendRow[]): void {
    const list = document.createElement('ul');
    for (const r of rows) {
      const li = document.createElement('li');
      li.className = `legend-row${r.hidden ? ' hidden' : ''}`;
      li.dataset.ids = r.ids.join(',');
      li.title = 'click: hide/show · shift-click or double-click: show only this';
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = `rgb(${r.color[0]},${r.color[1]},${r.color[2]})`;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = r.name;
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = r.count.toLocaleString('en-US');
      const iou = document.createElement('span');
      iou.className = 'iou';
      iou.textContent = r.iou === undefined ? '' : r.iou.toFixed(1);
      li.append(sw, name, count, iou);
      li.addEventListener('click', (e) => {
        if (e.detail > 1) return; // the second click of a double-click: dblclick handles it
        this.onClick(r, rows, e.shiftKey);
      });
      li.addEventListener('dblclick', () => this.onClick(r, rows, true));
      list.appendChild(li);
    }
    const head = document.createElement('div');
    head.className = 'legend-head';
    head.innerHTML = '<span></span><span>class</span><span>points</span><span>IoU</span>';
    const all = document.createElement('button');
    all.textContent = 'show all';
    all.className = 'legend-all';
    all.addEventListener('click', () => this.onShowAll());
    this.el.append(head, list, all);
  }

  private ramp(name: RampName, min: number, max: number): void {
    const bar = document.createElement('div');
    bar.className = 'ramp';
    const stops = Array.from({ length: 11 }, (_, i) => {
      const c = rampColor(name, i / 10);
      return `rgb(${c[0]},${c[1]},${c[2]}) ${i * 10}%`;
    });
    bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    const labels = document.createElement('div');
    labels.className = 'ramp-labels';
    const lo = document.createElement('span');
    lo.textContent = fmt(min);
    const hi = document.createElement('span');
    hi.textContent = fmt(max);
    labels.append(lo, hi);
    this.el.append(bar, labels);
  }
}
