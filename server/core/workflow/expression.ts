// The expression language of check gates, e.g.
//   steps.test.result.coverage >= params.min_coverage && steps.test.result.failed == 0
//
// A template author writes these and the server evaluates them, so the language is small
// and closed: a hand-written tokenizer and a precedence-climbing parser build a plain AST,
// and a tree-walking evaluator reads data through readPath (own properties only, never
// __proto__/constructor/prototype). Nothing is ever called, so there is no eval, no
// Function and no way from an expression to code.
//
// Semantics, chosen so that a gate over missing data fails instead of passing by accident:
// - A missing path is `undefined`. Arithmetic with `undefined` or `null` yields `undefined`;
//   every comparison with `undefined` or a mismatched type is false.
// - `==` / `!=` are strict (no coercion: 1 == "1" is false) and structural for arrays and
//   objects; `null` and a missing value are equal to each other, so `x == null` asks
//   "is x absent?".
// - `&&`, `||` and `!` use JavaScript truthiness (false, 0, "", null, missing are falsy),
//   short-circuit, and always return a boolean.
// - `+` adds numbers, or concatenates when either side is a string; `- * / %` need numbers.
//   Other type mixes (e.g. `true * 2`) are an error naming the operator and its position.
// - Comparisons do not chain: `1 < x < 5` is a parse error that suggests `&&`.
import { WORKFLOW_LIMITS } from "@/lib/workflow";
import { readPath, type PathSegment } from "./safe-path";

/** How deep parentheses and unary operators may nest; far beyond any real gate. */
export const MAX_EXPRESSION_NESTING = 32;

export class ExpressionError extends Error {
  constructor(
    message: string,
    /** 1-based character position in the source, or null when the error is not about one place. */
    readonly position: number | null = null,
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

export type BinaryOp = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";
export type UnaryOp = "!" | "-";

/** `pos` is the 1-based position of the token that made the node, for error messages. */
export type Expr =
  | { kind: "literal"; value: string | number | boolean | null; pos: number }
  | { kind: "path"; segments: PathSegment[]; pos: number }
  | { kind: "unary"; op: UnaryOp; operand: Expr; pos: number }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; pos: number };

// ---- Tokens ------------------------------------------------------------------------------

type Token =
  | { t: "num"; value: number; text: string; pos: number }
  | { t: "str"; value: string; text: string; pos: number }
  | { t: "ident"; value: string; text: string; pos: number }
  | { t: "punct"; value: string; text: string; pos: number }
  | { t: "end"; text: ""; pos: number };

const PUNCT = ["<=", ">=", "==", "!=", "&&", "||", "(", ")", "[", "]", ".", "!", "-", "+", "*", "/", "%", "<", ">"];
const ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', n: "\n", t: "\t", r: "\r", "/": "/" };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const pos = i + 1;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      if (/^[A-Za-z_]/.test(src.slice(i + m[0].length))) throw new ExpressionError(`malformed number at ${pos}`, pos);
      out.push({ t: "num", value: Number(m[0]), text: m[0], pos });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: "ident", value: m[0], text: m[0], pos });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new ExpressionError(`unterminated string starting at ${pos}`, pos);
        const d = src[j];
        if (d === c) break;
        if (d === "\\") {
          const e = src[j + 1];
          if (e === "u" && /^[0-9a-fA-F]{4}$/.test(src.slice(j + 2, j + 6))) {
            value += String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          if (e === undefined || !(e in ESCAPES)) throw new ExpressionError(`unknown escape '\\${e ?? ""}' at ${j + 1}`, j + 1);
          value += ESCAPES[e];
          j += 2;
          continue;
        }
        value += d;
        j++;
      }
      out.push({ t: "str", value, text: src.slice(i, j + 1), pos });
      i = j + 1;
      continue;
    }
    const p = PUNCT.find((q) => src.startsWith(q, i));
    if (p) {
      out.push({ t: "punct", value: p, text: p, pos });
      i += p.length;
      continue;
    }
    const hint = c === "=" ? ", expected '=='" : c === "&" ? ", expected '&&'" : c === "|" ? ", expected '||'" : "";
    throw new ExpressionError(`unexpected '${c}' at ${pos}${hint}`, pos);
  }
  out.push({ t: "end", text: "", pos: src.length + 1 });
  return out;
}

function describe(tok: Token): string {
  if (tok.t === "end") return "end of expression";
  const text = tok.text.length > 20 ? `${tok.text.slice(0, 20)}…` : tok.text;
  return `'${text}'`;
}

// ---- Parser ------------------------------------------------------------------------------

/** Binding power: higher binds tighter. Comparison and equality levels are non-associative. */
const BINARY_BP: Record<BinaryOp, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};
const NON_ASSOCIATIVE = new Set([3, 4]);

class Parser {
  private i = 0;
  private nesting = 0;
  constructor(private readonly toks: Token[]) {}

  private peek() {
    return this.toks[this.i];
  }
  private next() {
    return this.toks[this.i++];
  }
  private fail(tok: Token, expected: string): never {
    throw new ExpressionError(`unexpected ${describe(tok)} at ${tok.pos}, expected ${expected}`, tok.pos);
  }
  private isPunct(tok: Token, v: string) {
    return tok.t === "punct" && tok.value === v;
  }
  private enter(tok: Token) {
    if (++this.nesting > MAX_EXPRESSION_NESTING) throw new ExpressionError(`expression nests deeper than ${MAX_EXPRESSION_NESTING} levels at ${tok.pos}`, tok.pos);
  }

  parseAll(): Expr {
    const e = this.parseExpr(0);
    const tok = this.peek();
    if (tok.t !== "end") this.fail(tok, "an operator or the end of the expression");
    return e;
  }

  /** Precedence climbing: parse a unary operand, then fold operators binding tighter than minBp. */
  private parseExpr(minBp: number): Expr {
    let left = this.parseUnary();
    let lastBp = -1;
    for (;;) {
      const tok = this.peek();
      if (tok.t !== "punct" || !(tok.value in BINARY_BP)) break;
      const op = tok.value as BinaryOp;
      const bp = BINARY_BP[op];
      if (bp <= minBp) break;
      if (bp === lastBp && NON_ASSOCIATIVE.has(bp))
        throw new ExpressionError(`unexpected '${op}' at ${tok.pos}: comparisons do not chain, combine them with && (e.g. a < b && b < c)`, tok.pos);
      this.next();
      const right = this.parseExpr(bp);
      left = { kind: "binary", op, left, right, pos: tok.pos };
      lastBp = bp;
    }
    return left;
  }

  private parseUnary(): Expr {
    const tok = this.peek();
    if (tok.t === "punct" && (tok.value === "!" || tok.value === "-")) {
      this.next();
      this.enter(tok);
      const operand = this.parseUnary();
      this.nesting--;
      return { kind: "unary", op: tok.value as UnaryOp, operand, pos: tok.pos };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const tok = this.next();
    switch (tok.t) {
      case "num":
      case "str":
        return { kind: "literal", value: tok.value, pos: tok.pos };
      case "ident":
        if (tok.value === "true" || tok.value === "false") return { kind: "literal", value: tok.value === "true", pos: tok.pos };
        if (tok.value === "null") return { kind: "literal", value: null, pos: tok.pos };
        return this.parsePathRest(tok.value, tok.pos);
      case "punct":
        if (tok.value === "(") {
          this.enter(tok);
          const e = this.parseExpr(0);
          this.nesting--;
          const close = this.next();
          if (!this.isPunct(close, ")")) this.fail(close, "')'");
          return e;
        }
        return this.fail(tok, "a value");
      case "end":
        return this.fail(tok, "a value");
    }
  }

  /** `.name`, `["key"]` and `[0]` after a root name. Keys are literals so paths stay static. */
  private parsePathRest(root: string, pos: number): Expr {
    const segments: PathSegment[] = [root];
    for (;;) {
      const tok = this.peek();
      if (this.isPunct(tok, ".")) {
        this.next();
        const name = this.next();
        if (name.t !== "ident") this.fail(name, "a field name");
        segments.push(name.value);
      } else if (this.isPunct(tok, "[")) {
        this.next();
        const key = this.next();
        if (key.t === "str") segments.push(key.value);
        else if (key.t === "num" && Number.isSafeInteger(key.value)) segments.push(key.value);
        else this.fail(key, "a quoted key or a non-negative whole number");
        const close = this.next();
        if (!this.isPunct(close, "]")) this.fail(close, "']'");
      } else {
        return { kind: "path", segments, pos };
      }
    }
  }
}

/** Parses a gate expression; throws ExpressionError naming the position and what was expected. */
export function parseExpression(src: string): Expr {
  const limit = WORKFLOW_LIMITS.expressionLength;
  if (src.length > limit) throw new ExpressionError(`expression is ${src.length} characters long; the limit is ${limit}`, limit + 1);
  if (src.trim() === "") throw new ExpressionError("expression is empty, expected a value", 1);
  return new Parser(tokenize(src)).parseAll();
}

// ---- Evaluation --------------------------------------------------------------------------

/** JavaScript truthiness, spelled out so the rule is visible here. */
export function truthy(v: unknown): boolean {
  return !(v === false || v === 0 || v === "" || v === null || v === undefined || Number.isNaN(v));
}

/** Structural equality over JSON-like data; `null` equals a missing value. */
export function valuesEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a == null || b == null) return a == null && b == null;
  if (typeof a !== "object" || typeof b !== "object") return a === b;
  // Results are JSON (no cycles); the cap only guards against a hand-built cyclic scope.
  if (depth > 100) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i], depth + 1));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1));
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function compare(op: "<" | "<=" | ">" | ">=", a: unknown, b: unknown): boolean {
  const ok = (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
  if (!ok) return false;
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case "<":
      return x < y;
    case "<=":
      return x <= y;
    case ">":
      return x > y;
    case ">=":
      return x >= y;
  }
}

function stringify(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

function arithmetic(e: Expr & { kind: "binary" }, a: unknown, b: unknown): unknown {
  if (a == null || b == null) return undefined;
  if (e.op === "+" && (typeof a === "string" || typeof b === "string")) return stringify(a) + stringify(b);
  if (typeof a !== "number" || typeof b !== "number")
    throw new ExpressionError(`cannot apply '${e.op}' to ${typeName(a)} and ${typeName(b)} at ${e.pos}`, e.pos);
  switch (e.op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    default:
      return a % b;
  }
}

/**
 * Evaluates a parsed expression over `scope` (e.g. { params, steps, run }). Throws
 * ExpressionError only for type errors in arithmetic; missing data is `undefined`.
 */
export function evaluate(expr: Expr, scope: Record<string, unknown>): unknown {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "path":
      return readPath(scope, expr.segments);
    case "unary": {
      const v = evaluate(expr.operand, scope);
      if (expr.op === "!") return !truthy(v);
      if (v == null) return undefined;
      if (typeof v !== "number") throw new ExpressionError(`cannot negate ${typeName(v)} at ${expr.pos}`, expr.pos);
      return -v;
    }
    case "binary": {
      switch (expr.op) {
        case "&&":
          return truthy(evaluate(expr.left, scope)) ? truthy(evaluate(expr.right, scope)) : false;
        case "||":
          return truthy(evaluate(expr.left, scope)) ? true : truthy(evaluate(expr.right, scope));
        case "==":
          return valuesEqual(evaluate(expr.left, scope), evaluate(expr.right, scope));
        case "!=":
          return !valuesEqual(evaluate(expr.left, scope), evaluate(expr.right, scope));
        case "<":
        case "<=":
        case ">":
        case ">=":
          return compare(expr.op, evaluate(expr.left, scope), evaluate(expr.right, scope));
        default:
          return arithmetic(expr, evaluate(expr.left, scope), evaluate(expr.right, scope));
      }
    }
  }
}

/** Every path the expression reads, in source order, once each; numeric indexes as strings. */
export function referencedPaths(expr: Expr): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const walk = (e: Expr) => {
    switch (e.kind) {
      case "literal":
        return;
      case "path": {
        const path = e.segments.map(String);
        const key = JSON.stringify(path);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(path);
        }
        return;
      }
      case "unary":
        return walk(e.operand);
      case "binary":
        walk(e.left);
        walk(e.right);
    }
  };
  walk(expr);
  return out;
}
