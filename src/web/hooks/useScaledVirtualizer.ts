/**
 * TanStack Virtual over a scroll element whose first HEADER px are a sticky
 * header, for lists taller than browsers can lay out: past `maxBody` px the
 * body is drawn at `maxBody` and offsets are scaled (virtual = real × k).
 *
 * Scaled, a row's real position is `start − virtualOffset + realOffset`,
 * which changes on every scroll step. So rows are placed relative to a block
 * base (`start − base`, changing only when a block boundary is crossed) inside
 * a container shifted by `base − virtualOffset + realOffset`: one style change
 * per frame instead of one per row, and small numbers (no float rounding).
 */
import { useRef } from 'react';
import { elementScroll, observeElementOffset, observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { scrollScale } from '../core/window.js';

/** virtual px per block: rows are re-positioned only when the viewport crosses a block boundary */
const BLOCK_PX = 200_000;

export interface ScaledVirtualizer {
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  /** height to give the body element */
  bodyHeight: number;
  /** top of an item inside the rows container */
  topOf(start: number): number;
  /** translateY of the rows container (0 unless scaled) */
  shift: number;
  /** current scale (1: no scaling) */
  scale(): number;
  /** the real scrollTop, as last observed */
  realOffset(): number;
}

export interface ScaledVirtualizerOptions {
  count: number;
  rowHeight: number;
  headerHeight: number;
  maxBody: number;
  getScrollElement(): HTMLDivElement | null;
  onChange?(v: Virtualizer<HTMLDivElement, Element>): void;
  getItemKey?(index: number): string | number;
}

export function useScaledVirtualizer(o: ScaledVirtualizerOptions): ScaledVirtualizer {
  const virtualBody = o.count * o.rowHeight;
  const bodyHeight = Math.min(virtualBody, o.maxBody);
  const dims = useRef({ virtualBody, bodyHeight, header: o.headerHeight });
  dims.current = { virtualBody, bodyHeight, header: o.headerHeight };
  const real = useRef(0);

  const scaleOf = (el: Element | null): number => {
    const { virtualBody: v, bodyHeight: b, header } = dims.current;
    return scrollScale(v, b, (el?.clientHeight ?? 0) - header);
  };

  const virtualizer = useVirtualizer<HTMLDivElement, Element>({
    count: o.count,
    getScrollElement: o.getScrollElement,
    estimateSize: () => o.rowHeight,
    overscan: 6,
    ...(o.getItemKey ? { getItemKey: o.getItemKey } : {}),
    // the sticky header covers the first rows' worth of viewport: the list sees a shorter one
    observeElementRect: (instance, cb) =>
      observeElementRect(instance, (rect) => cb({ width: rect.width, height: Math.max(0, rect.height - dims.current.header) })),
    observeElementOffset: (instance, cb) =>
      observeElementOffset(instance, (offset, isScrolling) => {
        real.current = offset;
        cb(offset * scaleOf(instance.scrollElement), isScrolling);
      }),
    scrollToFn: (offset, options, instance) => {
      const k = scaleOf(instance.scrollElement);
      elementScroll(offset / k, { ...options, adjustments: (options.adjustments ?? 0) / k }, instance);
    },
    ...(o.onChange ? { onChange: o.onChange } : {}),
  });

  const offset = virtualizer.scrollOffset ?? 0;
  const scaled = bodyHeight < virtualBody;
  const base = scaled ? Math.floor(offset / BLOCK_PX) * BLOCK_PX : 0;
  return {
    virtualizer,
    bodyHeight,
    topOf: (start) => start - base,
    shift: scaled ? base - offset + real.current : 0,
    scale: () => scaleOf(o.getScrollElement()),
    realOffset: () => real.current,
  };
}
