// Where the workflow graphs look first and how they keep a selected step in sight. Pure
// geometry, tested without a DOM: the components measure boxes and pass them in.
//
// Legibility is the rule: node titles are 14 px, so the graphs never open below LEGIBLE_ZOOM
// (11 px text). A graph too big to fit at that zoom opens on its start (left of a left-to-right
// graph, top of a top-to-bottom one) and is panned or zoomed out by hand.
import type { Direction } from "./step-graph";

export const LEGIBLE_ZOOM = 0.8;
/** Small graphs are not blown up past their natural size. */
export const MAX_FIT_ZOOM = 1;
/** Space between the graph and its box's edges, in screen pixels. */
export const GRAPH_PADDING = 16;

export interface Size {
  width: number;
  height: number;
}
export interface Rect extends Size {
  x: number;
  y: number;
}
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The zoom at which the whole graph fits the box (with padding), at most MAX_FIT_ZOOM. */
export function fitZoom(graph: Size, box: Size, pad = GRAPH_PADDING): number {
  if (graph.width <= 0 || graph.height <= 0) return MAX_FIT_ZOOM;
  const zx = Math.max(1, box.width - 2 * pad) / graph.width;
  const zy = Math.max(1, box.height - 2 * pad) / graph.height;
  return Math.min(MAX_FIT_ZOOM, zx, zy);
}

/** The zoom the graph opens at: fitted, but never below legible. */
export function openingZoom(graph: Size, box: Size): number {
  return clamp(fitZoom(graph, box), LEGIBLE_ZOOM, MAX_FIT_ZOOM);
}

/**
 * The height to give a graph's box of `width`: the graph's own height at its opening zoom, kept
 * within [min, max], so a three-step chain gets a short strip and a wide fan-out a tall box.
 */
export function graphBoxHeight(graph: Size, width: number, bounds: { min: number; max: number }): number {
  if (graph.width <= 0 || graph.height <= 0) return bounds.min;
  const zoom = openingZoom(graph, { width, height: bounds.max });
  return Math.round(clamp(graph.height * zoom + 2 * GRAPH_PADDING, bounds.min, bounds.max));
}

/**
 * The first viewport: the whole graph centred when it fits legibly; otherwise, along the flow
 * (x for LR, y for TB) its start, and across the flow centred.
 */
export function openingViewport(graph: Size, box: Size, direction: Direction): Viewport {
  const zoom = openingZoom(graph, box);
  const w = graph.width * zoom;
  const h = graph.height * zoom;
  const centreX = (box.width - w) / 2;
  const centreY = (box.height - h) / 2;
  const fitsX = w + 2 * GRAPH_PADDING <= box.width + 0.5;
  const fitsY = h + 2 * GRAPH_PADDING <= box.height + 0.5;
  return {
    zoom,
    x: fitsX || direction === "TB" ? centreX : GRAPH_PADDING,
    y: fitsY || direction === "LR" ? centreY : GRAPH_PADDING,
  };
}

/** Where a rectangle in graph coordinates lands on screen (relative to the graph's box). */
export function toScreen(vp: Viewport, r: Rect): Rect {
  return { x: r.x * vp.zoom + vp.x, y: r.y * vp.zoom + vp.y, width: r.width * vp.zoom, height: r.height * vp.zoom };
}

const inside = (r: Rect, area: Rect, margin: number) => r.x >= area.x + margin && r.y >= area.y + margin && r.x + r.width <= area.x + area.width - margin && r.y + r.height <= area.y + area.height - margin;

/**
 * The viewport that shows `node` (graph coordinates) inside `visible` (box coordinates), or null
 * when it already shows there. A node that has to move is centred in `visible`; on an axis where
 * it already shows, it stays put, so a click does not make the whole graph jump.
 */
export function revealViewport(vp: Viewport, node: Rect, visible: Rect, margin = 12): Viewport | null {
  const s = toScreen(vp, node);
  if (inside(s, visible, margin)) return null;
  const okX = s.x >= visible.x + margin && s.x + s.width <= visible.x + visible.width - margin;
  const okY = s.y >= visible.y + margin && s.y + s.height <= visible.y + visible.height - margin;
  return {
    zoom: vp.zoom,
    x: okX ? vp.x : vp.x + (visible.x + visible.width / 2) - (s.x + s.width / 2),
    y: okY ? vp.y : vp.y + (visible.y + visible.height / 2) - (s.y + s.height / 2),
  };
}

/**
 * What is left of `area` once `covers` (things drawn over it: the sticky bar, the step panel)
 * are cut away. Each cover removes the side of `area` it overlaps most, so a bottom sheet trims
 * the bottom and a side panel the right. All rectangles share one coordinate system.
 */
export function unobscured(area: Rect, covers: readonly Rect[]): Rect {
  let r = { ...area };
  for (const c of covers) {
    const ix = Math.max(r.x, c.x);
    const iy = Math.max(r.y, c.y);
    const ax = Math.min(r.x + r.width, c.x + c.width);
    const ay = Math.min(r.y + r.height, c.y + c.height);
    if (ax <= ix || ay <= iy) continue;
    // The candidate remainders: above, below, left of and right of the cover.
    const options: Rect[] = [
      { x: r.x, y: r.y, width: r.width, height: iy - r.y },
      { x: r.x, y: ay, width: r.width, height: r.y + r.height - ay },
      { x: r.x, y: r.y, width: ix - r.x, height: r.height },
      { x: ax, y: r.y, width: r.x + r.width - ax, height: r.height },
    ].map((o) => ({ ...o, width: Math.max(0, o.width), height: Math.max(0, o.height) }));
    r = options.reduce((best, o) => (o.width * o.height > best.width * best.height ? o : best));
  }
  return r;
}

/** Best direction for a box of `width` (up to `maxHeight` tall): `preferred` unless it is illegible there and the other does better. */
export function pickDirection(sizes: Record<Direction, Size>, width: number, maxHeight: number, preferred: Direction): Direction {
  const other: Direction = preferred === "LR" ? "TB" : "LR";
  const zoom = (d: Direction) => fitZoom(sizes[d], { width, height: maxHeight });
  if (zoom(preferred) >= LEGIBLE_ZOOM) return preferred;
  return zoom(other) > zoom(preferred) * 1.15 ? other : preferred;
}

/** The overlap of two rectangles (zero-sized when they do not meet). */
export function intersect(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x), height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y) };
}
