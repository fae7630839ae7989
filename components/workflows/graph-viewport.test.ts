import { describe, expect, it } from "vitest";
import { fitZoom, graphBoxHeight, intersect, LEGIBLE_ZOOM, openingViewport, pickDirection, revealViewport, toScreen, unobscured } from "./graph-viewport";

describe("[graph viewport]: opening view", () => {
  it("fits a small graph at its natural size, centred", () => {
    const vp = openingViewport({ width: 400, height: 100 }, { width: 1000, height: 300 }, "LR");
    expect(vp).toEqual({ zoom: 1, x: 300, y: 100 });
  });

  it("shrinks a graph to fit, but never below legible", () => {
    expect(fitZoom({ width: 1800, height: 200 }, { width: 1000, height: 400 })).toBeCloseTo(968 / 1800);
    const vp = openingViewport({ width: 1800, height: 200 }, { width: 1000, height: 400 }, "LR");
    expect(vp.zoom).toBe(LEGIBLE_ZOOM);
    // Too wide at that zoom: it opens on its first steps, centred across the flow.
    expect(vp.x).toBe(16);
    expect(vp.y).toBeCloseTo((400 - 200 * LEGIBLE_ZOOM) / 2);
  });

  it("opens a tall top-to-bottom graph at its top, centred sideways", () => {
    const vp = openingViewport({ width: 740, height: 1200 }, { width: 366, height: 500 }, "TB");
    expect(vp.zoom).toBe(LEGIBLE_ZOOM);
    expect(vp.y).toBe(16);
    expect(vp.x).toBeCloseTo((366 - 740 * LEGIBLE_ZOOM) / 2);
  });

  it("gives the box the graph's height at its opening zoom, within bounds", () => {
    expect(graphBoxHeight({ width: 600, height: 100 }, 1000, { min: 200, max: 560 })).toBe(200);
    expect(graphBoxHeight({ width: 600, height: 400 }, 1000, { min: 200, max: 560 })).toBe(432);
    expect(graphBoxHeight({ width: 600, height: 2000 }, 1000, { min: 200, max: 560 })).toBe(560);
    expect(graphBoxHeight({ width: 0, height: 0 }, 1000, { min: 200, max: 560 })).toBe(200);
  });

  it("keeps the preferred direction while it is legible, else takes the one that fits better", () => {
    const sizes = { LR: { width: 1640, height: 284 }, TB: { width: 740, height: 760 } };
    expect(pickDirection(sizes, 2000, 600, "LR")).toBe("LR");
    expect(pickDirection(sizes, 864, 640, "LR")).toBe("TB");
    // Both too big and neither clearly better: the preferred one.
    expect(pickDirection({ LR: { width: 3000, height: 100 }, TB: { width: 300, height: 2800 } }, 1000, 600, "LR")).toBe("LR");
  });
});

describe("[graph viewport]: keeping the selected step in sight", () => {
  const vp = { x: 0, y: 0, zoom: 1 };
  const node = { x: 800, y: 100, width: 220, height: 76 };

  it("leaves the view alone when the node already shows", () => {
    expect(revealViewport(vp, node, { x: 0, y: 0, width: 1200, height: 400 })).toBeNull();
  });

  it("pans only along the axis where the node is hidden", () => {
    const next = revealViewport(vp, node, { x: 0, y: 0, width: 700, height: 400 })!;
    expect(next.y).toBe(0);
    const s = toScreen(next, node);
    expect(s.x + s.width / 2).toBeCloseTo(350);
  });

  it("centres a node hidden under a bottom sheet in what is left above it", () => {
    const low = { x: 100, y: 300, width: 220, height: 76 };
    const visible = unobscured({ x: 0, y: 0, width: 390, height: 420 }, [{ x: 0, y: 260, width: 390, height: 500 }]);
    expect(visible).toEqual({ x: 0, y: 0, width: 390, height: 260 });
    const s = toScreen(revealViewport(vp, low, visible)!, low);
    expect(s.y + s.height / 2).toBeCloseTo(130);
  });
});

describe("[graph viewport]: what the panels leave visible", () => {
  const area = { x: 0, y: 100, width: 1000, height: 500 };
  it("a side panel trims the right, a sticky bar the top, a sheet the bottom", () => {
    expect(unobscured(area, [{ x: 700, y: 0, width: 500, height: 2000 }])).toEqual({ x: 0, y: 100, width: 700, height: 500 });
    expect(unobscured(area, [{ x: 0, y: 0, width: 2000, height: 150 }])).toEqual({ x: 0, y: 150, width: 1000, height: 450 });
    expect(unobscured(area, [{ x: 0, y: 0, width: 2000, height: 150 }, { x: 0, y: 400, width: 2000, height: 900 }])).toEqual({ x: 0, y: 150, width: 1000, height: 250 });
  });
  it("ignores covers elsewhere and never returns a negative size", () => {
    expect(unobscured(area, [{ x: 0, y: 700, width: 10, height: 10 }])).toEqual(area);
    const r = unobscured(area, [{ x: -10, y: -10, width: 2000, height: 2000 }]);
    expect(r.width * r.height).toBe(0);
    expect(r.width).toBeGreaterThanOrEqual(0);
    expect(r.height).toBeGreaterThanOrEqual(0);
  });
});

describe("[graph viewport]: intersect", () => {
  it("overlaps, or is empty", () => {
    expect(intersect({ x: 0, y: 0, width: 100, height: 100 }, { x: 50, y: 60, width: 100, height: 100 })).toEqual({ x: 50, y: 60, width: 50, height: 40 });
    expect(intersect({ x: 0, y: 0, width: 10, height: 10 }, { x: 50, y: 60, width: 1, height: 1 })).toMatchObject({ width: 0, height: 0 });
  });
});
