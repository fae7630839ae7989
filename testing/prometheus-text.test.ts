import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { PrometheusTextError, histogramOf, parsePrometheusText, samplesOf, valueOf } from "./prometheus-text";

describe("[METRICS] Prometheus text parser", () => {
  it("reads HELP, TYPE, labels with escapes, special values and timestamps", () => {
    const f = parsePrometheusText(
      [
        "# A free comment",
        "# HELP jobs_total Jobs done.\\nSecond line with a \\\\ backslash",
        "# TYPE jobs_total counter",
        'jobs_total{queue="a\\"b",path="C:\\\\x",note="one\\ntwo"} 3 1700000000000',
        'jobs_total{queue="plain", path="p",} 1.5e3',
        "",
        "# TYPE temperature gauge",
        "temperature NaN",
        'temperature{where="sun"} +Inf',
        'temperature{where="space"} -Inf',
        "untyped_thing 7",
        "lower_nan Nan",
        "",
      ].join("\n"),
    );
    const jobs = f.get("jobs_total")!;
    expect(jobs.type).toBe("counter");
    expect(jobs.help).toBe("Jobs done.\nSecond line with a \\ backslash");
    expect(jobs.samples[0]).toEqual({ name: "jobs_total", labels: { queue: 'a"b', path: "C:\\x", note: "one\ntwo" }, value: 3, timestamp: 1700000000000 });
    expect(valueOf(f, "jobs_total", { queue: "plain", path: "p" })).toBe(1500);
    expect(valueOf(f, "temperature")).toBeNaN();
    expect(valueOf(f, "temperature", { where: "sun" })).toBe(Infinity);
    expect(valueOf(f, "temperature", { where: "space" })).toBe(-Infinity);
    expect(f.get("untyped_thing")!.type).toBe("untyped");
    expect(valueOf(f, "lower_nan")).toBeNaN();
  });

  it("reads what prom-client writes, histograms included", async () => {
    const registry = new Registry();
    const c = new Counter({ name: "x_total", help: 'odd "help" \\ here\nand there', labelNames: ["v"], registers: [registry] });
    c.inc({ v: 'quote " backslash \\ newline \n end' }, 2);
    const h = new Histogram({ name: "wait_seconds", help: "Waits.", labelNames: ["cap"], buckets: [0.1, 1, 10], registers: [registry] });
    for (const v of [0.05, 0.5, 0.7, 5, 50]) h.observe({ cap: "gpu" }, v);
    h.observe({ cap: "cpu" }, 0.2);
    const f = parsePrometheusText(await registry.metrics());
    expect(f.get("x_total")!.help).toBe('odd "help" \\ here\nand there');
    expect(samplesOf(f, "x_total")[0].labels.v).toBe('quote " backslash \\ newline \n end');
    const gpu = histogramOf(f, "wait_seconds", { cap: "gpu" });
    expect(gpu.buckets).toEqual([
      { le: 0.1, count: 1 },
      { le: 1, count: 3 },
      { le: 10, count: 4 },
      { le: Infinity, count: 5 },
    ]);
    expect(gpu.count).toBe(5);
    expect(gpu.sum).toBeCloseTo(56.25);
    expect(histogramOf(f, "wait_seconds", { cap: "cpu" }).count).toBe(1);
    expect(samplesOf(f, "wait_seconds_count").map((s) => s.labels.cap).sort()).toEqual(["cpu", "gpu"]);
  });

  const malformed: [string, string][] = [
    ["unterminated label value", 'm{a="x} 1\n'],
    ["missing closing brace", 'm{a="x" 1\n'],
    ["unquoted label value", "m{a=x} 1\n"],
    ["bad escape", 'm{a="\\t"} 1\n'],
    ["bad label name", 'm{1a="x"} 1\n'],
    ["duplicate label", 'm{a="x",a="y"} 1\n'],
    ["bad metric name", "1m 1\n"],
    ["no value", "m\n"],
    ["bad value", "m one\n"],
    ["trailing garbage", "m 1 2 3\n"],
    ["bad timestamp", "m 1 1.5\n"],
    ["value glued to labels", 'm{a="x"}1\n'],
    ["duplicate series", 'm{a="x"} 1\nm{a="x"} 2\n'],
    ["unknown type", "# TYPE m meter\nm 1\n"],
    ["second HELP", "# HELP m a\n# HELP m b\nm 1\n"],
    ["TYPE after samples", "m 1\n# TYPE m gauge\n"],
    ["family lines not grouped", "a 1\nb 1\na{x=\"1\"} 2\n"],
    ["histogram sample without suffix", "# TYPE h histogram\nh 1\n"],
    ["bucket without le", "# TYPE h histogram\nh_bucket 1\n"],
    ["malformed TYPE line", "# TYPE\nm 1\n"],
    ["no final line feed", "m 1"],
  ];
  it.each(malformed)("throws on %s", (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow(PrometheusTextError);
  });

  it("names the line that is wrong", () => {
    expect(() => parsePrometheusText('ok 1\nbad{a="x" 1\n')).toThrow(/^line 2: /);
  });
});
