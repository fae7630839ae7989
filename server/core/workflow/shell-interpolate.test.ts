// [SHELL] Values interpolated into a step's command arrive as inert text, whatever they hold,
// in every quoting context: checked by running the rendered command with a real `sh -c`.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { interpolateCommand, quoteFor, referenceContexts } from "./shell-interpolate";
import { InterpolationError } from "./interpolate";

const sh = (command: string) => execFileSync("sh", ["-c", command], { encoding: "utf8", timeout: 5000 });

/** Characters that mean something to sh, plus ordinary ones and a few non-ASCII. */
const hostile = fc.string({
  unit: fc.constantFrom(..."'\"\\$`;|&()<>{}[]*?~#!= \t\n-abcXYZ019é✓".split("")),
  maxLength: 40,
});

describe("[SHELL] interpolation into commands", () => {
  it("knows where each reference stands", () => {
    const ctx = referenceContexts(`a {{x}} 'b {{x}}' "c {{x}}" $(d {{x}}) "$(e '{{x}}')" \`f {{x}}\``).map((r) => r.context);
    expect(ctx).toEqual(["bare", "single", "double", "bare", "single", "backtick"]);
  });

  it("a hostile parameter runs as text, not as a command", () => {
    const value = `1.0; echo PWNED; $(echo PWNED) \`echo PWNED\` ' " \\`;
    const cmd = interpolateCommand("printf '%s' {{params.version}}", { params: { version: value } });
    expect(sh(cmd)).toBe(value);
  });

  it("a hostile step result in double quotes stays text", () => {
    const result = { branch: `x"; echo PWNED; echo "` };
    const cmd = interpolateCommand(`printf '%s' "merge {{steps.plan.result.branch}} now"`, { steps: { plan: { result: result } } });
    expect(sh(cmd)).toBe(`merge ${result.branch} now`);
  });

  it.each([
    ["bare word", (r: string) => `printf '%s' ${r}`, (v: string) => v],
    ["single quotes", (r: string) => `printf '%s' 'a${r}b'`, (v: string) => `a${v}b`],
    ["double quotes", (r: string) => `printf '%s' "a${r}b"`, (v: string) => `a${v}b`],
    ["command substitution", (r: string) => `printf '%s' "$(printf '%s' ${r})"`, (v: string) => v.replace(/\n+$/, "")],
  ])("any value is printed back exactly: %s", (_name, template, expected) => {
    fc.assert(
      fc.property(hostile, (v) => {
        const cmd = interpolateCommand(template("{{params.v}}"), { params: { v } });
        expect(sh(cmd)).toBe(expected(v));
      }),
      { numRuns: 40 },
    );
  });

  it("numbers, booleans and objects are written as text too", () => {
    expect(sh(interpolateCommand("printf '%s|' {{params.n}} {{params.b}} {{steps.s.result}}", { params: { n: 3, b: true }, steps: { s: { result: { a: "x y" } } } }))).toBe(
      '3|true|{"a":"x y"}|',
    );
  });

  it("`| raw` inserts shell syntax on purpose", () => {
    expect(sh(interpolateCommand("{{ params.cmd | raw }}", { params: { cmd: "printf '%s' raw-ok" } }))).toBe("raw-ok");
  });

  it("refuses a reference inside backticks, and a NUL byte", () => {
    expect(() => interpolateCommand("echo `cat {{params.f}}`", { params: { f: "x" } })).toThrow(InterpolationError);
    expect(() => interpolateCommand("echo {{params.f}}", { params: { f: "a\u0000b" } })).toThrow(/NUL/);
  });

  it("quotes an empty value as an empty word", () => {
    expect(quoteFor("bare", "")).toBe("''");
    expect(sh(interpolateCommand("set -- {{params.e}}; printf '%s' $#", { params: { e: "" } }))).toBe("1");
  });
});
