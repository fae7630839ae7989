"use client";
// The part of an element a reader can actually see: inside the window and not under anything
// marked `data-overlay` (the sticky nav bar, the step panel or sheet). The geometry is the pure
// `unobscured`; this only measures.
import { intersect, unobscured, type Rect } from "./graph-viewport";

const rectOf = (el: Element): Rect => {
  const r = el.getBoundingClientRect();
  return { x: r.left, y: r.top, width: r.width, height: r.height };
};

function covers(el: HTMLElement): Rect[] {
  return [...document.querySelectorAll("[data-overlay]")].filter((o) => o !== el && !el.contains(o) && !o.contains(el)).map(rectOf);
}

/**
 * The visible part of `el`, in `el`'s own coordinates. With `scrollIfSmallerThan`, a visible
 * part shorter than that scrolls the page first, bringing `el`'s top just under the sticky bar
 * (the result is then what will be visible once the scroll has finished).
 */
export function visibleArea(el: HTMLElement, { scrollIfSmallerThan = 0 }: { scrollIfSmallerThan?: number } = {}): Rect {
  const screen = { x: 0, y: 0, width: window.innerWidth, height: window.innerHeight };
  const over = covers(el);
  let r = rectOf(el);
  let v = unobscured(intersect(r, screen), over);
  if (scrollIfSmallerThan > 0 && v.height < scrollIfSmallerThan) {
    // Bars pinned to the top of the window (the nav) stay where they are while the page scrolls.
    const barBottom = over.filter((c) => c.y <= 0.5 && c.height < screen.height / 3).reduce((m, c) => Math.max(m, c.y + c.height), 0);
    const delta = r.y - (barBottom + 8);
    // At once, not smoothly: what follows measures the page as it is after the scroll, and a
    // smooth scroll can be cut short by the next render.
    window.scrollBy({ top: delta, behavior: "instant" });
    r = { ...r, y: r.y - delta };
    v = unobscured(intersect(r, screen), over);
  }
  return { x: v.x - r.x, y: v.y - r.y, width: v.width, height: v.height };
}

/** Scrolls the page just enough that `el` is not under an overlay (e.g. a timeline row under the sheet). */
export function scrollIntoUncovered(el: HTMLElement) {
  const over = covers(el);
  const r = rectOf(el);
  const sheetTop = over.filter((c) => c.y > window.innerHeight / 4).reduce((m, c) => Math.min(m, c.y), window.innerHeight);
  const barBottom = over.filter((c) => c.y <= 0.5 && c.height < window.innerHeight / 3).reduce((m, c) => Math.max(m, c.y + c.height), 0);
  if (r.y + r.height > sheetTop - 8) window.scrollBy({ top: r.y + r.height - sheetTop + 24, behavior: "instant" });
  else if (r.y < barBottom + 8) window.scrollBy({ top: r.y - barBottom - 24, behavior: "instant" });
}
