// Interpolation into a step's shell `command`, which the runner executes with `sh -c`.
//
// A value — a run parameter, or one agent's *result* read by a later step — must never become
// shell syntax on another agent: `1.0; curl … | sh` has to arrive as that literal text. So each
// reference is quoted for the place it stands in, found by scanning the command as sh would:
//
//   bare word      ./plan.sh {{params.feature}}        → ./plan.sh 'dark mode'
//   in '…'         echo 'v{{params.v}}'                → the quote is closed, escaped, reopened
//   in "…"         echo "v{{params.v}}"                → \ " $ ` are backslash-escaped
//   in $( … )      x=$(cat {{params.file}})           → a fresh bare word inside the substitution
//
// Whatever the context, the value stays one piece of literal text. Inside backticks quoting
// is not reliable, so a reference there is refused (use $( ) instead). `{{ params.x | raw }}`
// inserts the text as it is — for a template author who means shell syntax; it is explicit,
// documented, and visibly different. Titles, payloads and labels are not shell and stay as in
// interpolate.ts.
import { InterpolationError, REFERENCE, findReferences, referenceValue, toText, type Reference } from "./interpolate";

export type ShellContext = "bare" | "single" | "double" | "backtick";

interface Frame {
  kind: "bare" | "single" | "double" | "paren" | "backtick";
}

/** Where each `{{ … }}` of a command stands, by the quoting of the text before it. */
export function referenceContexts(command: string): { raw: string; index: number; context: ShellContext }[] {
  const out: { raw: string; index: number; context: ShellContext }[] = [];
  // The same matches as findReferences, so the two lists line up one to one.
  const refs = [...command.matchAll(REFERENCE)];
  let next = 0;
  const stack: Frame[] = [{ kind: "bare" }];
  const top = () => stack[stack.length - 1].kind;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i];
    if (next < refs.length && refs[next].index === i) {
      const k = top();
      out.push({ raw: refs[next][0], index: i, context: k === "paren" ? "bare" : k });
      i += refs[next][0].length - 1;
      next++;
      continue;
    }
    switch (top()) {
      case "single":
        if (ch === "'") stack.pop();
        break;
      case "double":
        if (ch === "\\") i++;
        else if (ch === '"') stack.pop();
        else if (ch === "$" && command[i + 1] === "(") (stack.push({ kind: "paren" }), i++);
        else if (ch === "`") stack.push({ kind: "backtick" });
        break;
      case "backtick":
        if (ch === "\\") i++;
        else if (ch === "`") stack.pop();
        break;
      default: // bare, or the bare text inside $( … )
        if (ch === "\\") i++;
        else if (ch === "'") stack.push({ kind: "single" });
        else if (ch === '"') stack.push({ kind: "double" });
        else if (ch === "`") stack.push({ kind: "backtick" });
        else if (ch === "$" && command[i + 1] === "(") (stack.push({ kind: "paren" }), i++);
        else if (ch === "(" && top() === "paren") stack.push({ kind: "paren" });
        else if (ch === ")" && top() === "paren") stack.pop();
    }
  }
  return out;
}

/** `value` as literal text at a place of the given kind (the result is still one shell word). */
export function quoteFor(context: Exclude<ShellContext, "backtick">, value: string): string {
  switch (context) {
    case "bare":
      return `'${value.replaceAll("'", `'\\''`)}'`;
    case "single":
      return value.replaceAll("'", `'\\''`);
    case "double":
      return value.replace(/[\\"$`]/g, "\\$&");
  }
}

/** Problems a command's references would have at run time, for template validation. */
export function commandReferenceIssues(command: string): string[] {
  return referenceContexts(command)
    .filter((r) => r.context === "backtick")
    .map((r) => `${r.raw} is inside backticks, where a value cannot be quoted safely; use $( … ) instead of \` … \``);
}

/**
 * The command with every reference replaced by its value, quoted for where it stands (see the
 * header). Throws InterpolationError for a reference with no value, one inside backticks, or a
 * value with a NUL byte (no shell argument can hold one).
 */
export function interpolateCommand(command: string, scope: Record<string, unknown>): string {
  const refs = findReferences(command);
  if (refs.length === 0) return command;
  const contexts = referenceContexts(command);
  let out = "";
  let last = 0;
  contexts.forEach((c, n) => {
    const ref: Reference = refs[n];
    const text = toText(referenceValue(ref, scope));
    if (text.includes("\u0000")) throw new InterpolationError(`${ref.raw}: the value contains a NUL byte, which no shell argument can hold`, ref.raw);
    let piece: string;
    if (ref.filter === "raw") piece = text;
    else if (c.context === "backtick") throw new InterpolationError(commandReferenceIssues(c.raw)[0] ?? `${ref.raw} is inside backticks`, ref.raw);
    else piece = quoteFor(c.context, text);
    out += command.slice(last, c.index) + piece;
    last = c.index + c.raw.length;
  });
  return out + command.slice(last);
}
