// Renders the argv template given after `--` on `switchboard agent`. Each argv element is
// rendered on its own and never re-split into words, so a title with spaces stays one
// argument and nothing reaches a shell unless the template itself starts one.

import type { Assignment } from "../lib/protocol";

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const FIXED_NAMES = new Set(["task.id", "task.title", "task.attempt", "command", "payload"]);
const PAYLOAD_FIELD = /^payload(\.[A-Za-z0-9_$-]+)+$/;

/** A template or an assignment it cannot be rendered for; the message says which placeholder. */
export class TemplateError extends Error {}

export interface CommandTemplate {
  readonly argv: readonly string[];
}

/** Checks placeholders once at start-up, so a typo fails the agent, not every task. */
export function compileTemplate(argv: readonly string[]): CommandTemplate {
  if (argv.length === 0) throw new TemplateError("the command template is empty");
  for (const arg of argv) {
    for (const match of arg.matchAll(PLACEHOLDER)) {
      const name = match[1];
      if (!FIXED_NAMES.has(name) && !PAYLOAD_FIELD.test(name)) {
        throw new TemplateError(
          `unknown placeholder {{${name}}} in the command template; use {{task.id}}, {{task.title}}, {{task.attempt}}, {{command}}, {{payload}} or {{payload.field}}`,
        );
      }
    }
  }
  return { argv: [...argv] };
}

type TemplateTask = Pick<Assignment, "taskId" | "attempt" | "title" | "command" | "payload">;

export function renderTemplate(template: CommandTemplate, task: TemplateTask): string[] {
  return template.argv.map((arg) => arg.replace(PLACEHOLDER, (_, name: string) => placeholderValue(name, task)));
}

function placeholderValue(name: string, task: TemplateTask): string {
  switch (name) {
    case "task.id":
      return task.taskId;
    case "task.title":
      return task.title;
    case "task.attempt":
      return String(task.attempt);
    case "command":
      if (task.command == null) throw new TemplateError("the command template uses {{command}} but the task has no command");
      return task.command;
    case "payload":
      return JSON.stringify(task.payload ?? null);
  }
  const path = name.split(".").slice(1);
  const value = readPath(task.payload, path);
  if (value === undefined) throw new TemplateError(`the command template uses {{${name}}} but the payload has no field "${path.join(".")}"`);
  return typeof value === "string" ? value : JSON.stringify(value);
}

function readPath(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
