import { describe, expect, it } from "vitest";
import { captureLines, commandText, compileDoneMarker, messageText, newTail, PaneTail, parseDoneMarker } from "./tmux-screen";

describe("captureLines", () => {
  it("drops trailing spaces and the blank rows below the cursor", () => {
    expect(captureLines("$ ls   \na  b \n$ \n\n\n")).toEqual(["$ ls", "a  b", "$"]);
    expect(captureLines("\n\n")).toEqual([]);
  });
});

describe("newTail", () => {
  it("returns the appended lines when nothing scrolled", () => {
    expect(newTail(["a", "b"], ["a", "b", "c", "d"])).toEqual(["c", "d"]);
  });
  it("returns nothing when nothing changed", () => {
    expect(newTail(["a", "b"], ["a", "b"])).toEqual([]);
  });
  it("finds the new tail after the screen scrolled", () => {
    expect(newTail(["a", "b", "c", "d"], ["c", "d", "e", "f"])).toEqual(["e", "f"]);
  });
  it("prefers the smallest scroll when lines repeat", () => {
    expect(newTail(["x", "y", "x", "y"], ["x", "y", "x", "y", "z"])).toEqual(["z"]);
    expect(newTail(["$ echo x", "x"], ["$ echo x", "x", "$ echo x", "x"])).toEqual(["$ echo x", "x"]);
  });
  it("treats everything as new without any overlap (cleared screen)", () => {
    expect(newTail(["a", "b"], ["c", "d"])).toEqual(["c", "d"]);
    expect(newTail([], ["c"])).toEqual(["c"]);
  });
  it("handles a previous capture longer than the current one", () => {
    expect(newTail(["a", "b", "c"], ["c"])).toEqual([]);
    expect(newTail(["a", "b", "c"], ["z"])).toEqual(["z"]);
  });
});

describe("PaneTail", () => {
  it("streams finished lines, holding back the cursor line", () => {
    const tail = new PaneTail(["old", "$"]);
    expect(tail.update(["old", "$ echo hi; echo __SWITCHBOARD_DONE__ $?"])).toEqual({ lines: [], pending: "$ echo hi; echo __SWITCHBOARD_DONE__ $?" });
    expect(tail.update(["old", "$ echo hi; echo __SWITCHBOARD_DONE__ $?", "hi", "__SWITCHBOARD_DONE__ 0", "$"])).toEqual({
      lines: ["$ echo hi; echo __SWITCHBOARD_DONE__ $?", "hi", "__SWITCHBOARD_DONE__ 0"],
      pending: "$",
    });
  });
  it("keeps up when the screen scrolls between captures", () => {
    const tail = new PaneTail(["a", "b", "$"]);
    expect(tail.update(["b", "$ run", "1", "2"]).lines).toEqual(["$ run", "1"]);
    expect(tail.update(["1", "2", "3", "4"]).lines).toEqual(["2", "3"]);
  });
  it("does not offer an unchanged cursor line (an old marker) as pending", () => {
    const tail = new PaneTail(["__SWITCHBOARD_DONE__ 0"]);
    expect(tail.update(["__SWITCHBOARD_DONE__ 0"]).pending).toBeUndefined();
    expect(tail.update(["__SWITCHBOARD_DONE__ 0", "__SWITCHBOARD_DONE__ 3"]).pending).toBe("__SWITCHBOARD_DONE__ 3");
  });
});

describe("parseDoneMarker", () => {
  it("reads the exit code of the default marker", () => {
    expect(parseDoneMarker("__SWITCHBOARD_DONE__ 0")).toEqual({ exitCode: 0 });
    expect(parseDoneMarker("__SWITCHBOARD_DONE__ 127")).toEqual({ exitCode: 127 });
    expect(parseDoneMarker("__SWITCHBOARD_DONE__")).toEqual({ exitCode: 0 });
  });
  it("ignores the typed command line and other text", () => {
    expect(parseDoneMarker("$ false; echo __SWITCHBOARD_DONE__ $?")).toBeUndefined();
    expect(parseDoneMarker("__SWITCHBOARD_DONE__ x")).toBeUndefined();
    expect(parseDoneMarker("hello")).toBeUndefined();
  });
  it("works with a custom marker, with or without a code group", () => {
    expect(parseDoneMarker("READY", compileDoneMarker("^READY$"))).toEqual({ exitCode: 0 });
    expect(parseDoneMarker("exit=4", compileDoneMarker("^exit=(\\d+)$"))).toEqual({ exitCode: 4 });
    expect(() => compileDoneMarker("(")).toThrow(/invalid --done-marker/);
  });
});

describe("typed text", () => {
  it("turns a message into one comment line without control characters", () => {
    expect(messageText("ops", "hi\nrm -rf /\x03 now")).toBe("# message from ops: hi rm -rf /  now");
  });
  it("keeps a command's newlines but not tabs or other control characters", () => {
    expect(commandText("a\tb\r\nc\x03\n")).toBe("a b\nc ");
  });
});
