import { describe, expect, it } from "vitest";
import { compileTemplate, renderTemplate, TemplateError } from "./command-template";

const task = { taskId: "t_1", attempt: 2, title: "build the docs", command: "make docs", payload: { target: "web", opts: { n: 3, tags: ["a"] }, flag: true, nothing: null } };

describe("[command template]", () => {
  it("substitutes task fields without splitting arguments", () => {
    const t = compileTemplate(["run", "--id={{task.id}}", "{{ task.title }}", "#{{task.attempt}}", "{{command}}"]);
    expect(renderTemplate(t, task)).toEqual(["run", "--id=t_1", "build the docs", "#2", "make docs"]);
  });

  it("renders {{payload}} as JSON and fields as raw strings or JSON", () => {
    const t = compileTemplate(["{{payload}}", "{{payload.target}}", "{{payload.opts.n}}", "{{payload.opts}}", "{{payload.flag}}", "{{payload.nothing}}", "{{payload.opts.tags.0}}"]);
    expect(renderTemplate(t, task)).toEqual([JSON.stringify(task.payload), "web", "3", '{"n":3,"tags":["a"]}', "true", "null", "a"]);
  });

  it("renders a missing payload as null", () => {
    expect(renderTemplate(compileTemplate(["{{payload}}"]), { ...task, payload: undefined })).toEqual(["null"]);
  });

  it("rejects unknown placeholders when compiled", () => {
    expect(() => compileTemplate(["echo", "{{task.name}}"])).toThrow(/unknown placeholder \{\{task\.name\}\}/);
    expect(() => compileTemplate([])).toThrow(TemplateError);
  });

  it("fails a task whose payload lacks a field, or that has no command for {{command}}", () => {
    expect(() => renderTemplate(compileTemplate(["{{payload.missing.deep}}"]), task)).toThrow(/no field "missing.deep"/);
    expect(() => renderTemplate(compileTemplate(["{{command}}"]), { ...task, command: null })).toThrow(/no command/);
  });

  it("leaves text that is not a placeholder alone", () => {
    expect(renderTemplate(compileTemplate(["{x}", "{{", "a}}b"]), task)).toEqual(["{x}", "{{", "a}}b"]);
  });
});
