/** One wheel event zooms by at most this factor (a fast wheel or a trackpad fling does not jump). */
const MAX_WHEEL_FACTOR = 1.2;
/** Pixels per wheel "line" and "page" (WheelEvent.deltaMode 1 and 2). */
const LINE_PX = 16;
const PAGE_PX = 400;

/** What the map does with the pointer over it; positions in CSS pixels from the canvas's top left corner. */
export interface MapGestures {
  /** The pointer moved with no button down. */
  hover(sx: number, sy: number): void;
  leave(): void;
  /** A drag moved by (dx, dy) pixels. */
  pan(dx: number, dy: number): void;
  /** A press released without a drag. */
  click(sx: number, sy: number): void;
  /** A wheel step: zoom by `factor` about (sx, sy). */
  zoom(sx: number, sy: number, factor: number): void;
}

/** Hover, pan (a drag, once it moved 3 px), click and zoom (wheel, about the cursor) on `target`. */
export function listenGestures(target: HTMLCanvasElement, gestures: MapGestures): void {
  let drag: { x: number; y: number; moved: boolean } | undefined;
  target.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, moved: false };
    target.setPointerCapture(event.pointerId);
  });
  target.addEventListener('pointermove', (event) => {
    const rect = target.getBoundingClientRect();
    if (drag === undefined) {
      gestures.hover(event.clientX - rect.left, event.clientY - rect.top);
      return;
    }
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 3) return;
    drag = { x: event.clientX, y: event.clientY, moved: true };
    gestures.pan(dx, dy);
  });
  target.addEventListener('pointerleave', () => gestures.leave());
  target.addEventListener('pointerup', (event) => {
    const wasDrag = drag?.moved ?? false;
    drag = undefined;
    if (wasDrag) return;
    const rect = target.getBoundingClientRect();
    gestures.click(event.clientX - rect.left, event.clientY - rect.top);
  });
  target.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const rect = target.getBoundingClientRect();
      const unit = event.deltaMode === 1 ? LINE_PX : event.deltaMode === 2 ? PAGE_PX : 1;
      const wanted = Math.exp(-event.deltaY * unit * 0.002);
      const factor = Math.min(MAX_WHEEL_FACTOR, Math.max(1 / MAX_WHEEL_FACTOR, wanted));
      gestures.zoom(event.clientX - rect.left, event.clientY - rect.top, factor);
    },
    { passive: false },
  );
}
