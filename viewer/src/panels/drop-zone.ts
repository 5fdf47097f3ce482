/**
 * Drag-and-drop of a PLY/PCD file on the page: the hint shows while a file is dragged (with the
 * segment zone when a model is there), and the drop opens the file, or segments it when let go
 * over the segment zone.
 */

/** The page parts and what a drop does. */
export interface DropTarget {
  /** The hint shown while dragging (lets pointer events through). */
  hint: HTMLElement;
  /** The "drop here to segment it" zone inside the hint (hidden without a model). */
  segmentZone: HTMLElement;
  dragging(on: boolean): void;
  open(file: File): void;
  segment(file: File): void;
}

/** Installs the listeners on the window. */
export function bindFileDrop(t: DropTarget): void {
  window.addEventListener('dragover', (e) => {
    e.preventDefault();
    t.hint.hidden = false;
    t.dragging(true);
  });
  window.addEventListener('dragleave', (e) => {
    if (e.relatedTarget === null) t.hint.hidden = true;
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    // the hint lets events through (pointer-events: none): route by where the file was let go
    const r = t.segmentZone.hidden ? null : t.segmentZone.getBoundingClientRect();
    const toSegment =
      !!r && e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
    t.hint.hidden = true;
    t.dragging(false);
    const file = e.dataTransfer?.files[0];
    if (file && toSegment) t.segment(file);
    else if (file) t.open(file);
  });
}
