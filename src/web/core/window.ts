/**
 * Which slice of a big result the grid keeps live. The viewport shows rows
 * [first, last]; the live window is a larger [offset, offset + limit) around
 * it, aligned to STEP rows so small scrolls do not resubscribe. Pure.
 */

export interface Window {
  readonly offset: number;
  readonly limit: number;
}

/** offsets snap to multiples of this: fewer distinct subscriptions while scrolling */
export const STEP = 50;

/** the window for a viewport showing rows [first, last]: the viewport plus one screen either side */
export function windowFor(first: number, last: number): Window {
  const visible = Math.max(1, last - first + 1);
  const offset = Math.max(0, Math.floor((first - visible) / STEP) * STEP);
  const end = Math.ceil((last + 1 + visible) / STEP) * STEP;
  return { offset, limit: Math.max(STEP * 2, end - offset) };
}

/**
 * Keep the current window while the viewport stays inside it with some slack
 * (a third of a screen), so rows near the edge are already there.
 */
export function needsMove(current: Window | null, first: number, last: number, total: number | null): boolean {
  if (current === null) return true;
  const visible = Math.max(1, last - first + 1);
  const slack = Math.ceil(visible / 3);
  const end = current.offset + current.limit;
  const topOk = first - slack >= current.offset || current.offset === 0;
  const bottomOk = last + slack < end || (total !== null && end >= total);
  return !(topOk && bottomOk);
}

/**
 * The row count to lay out. Estimates can be wrong both ways: a window that
 * came back short proves where the result ends; a full window at the end of
 * the estimate proves there is more.
 */
export function effectiveTotal(total: number | null, window: Window | null, received: number): number {
  if (window === null) return total ?? 0;
  const seen = window.offset + received;
  if (received < window.limit) return window.offset === 0 || received > 0 ? seen : Math.min(total ?? seen, seen);
  return Math.max(total ?? 0, seen);
}

/**
 * Scroll scale for lists taller than browsers lay out: virtual offset per real
 * pixel, so the real scroll range maps onto the virtual one end to end.
 * 1 unless the body had to be capped below its virtual height.
 */
export function scrollScale(virtualBody: number, realBody: number, viewport: number): number {
  if (realBody >= virtualBody || realBody - viewport <= 0) return 1;
  return (virtualBody - viewport) / (realBody - viewport);
}
