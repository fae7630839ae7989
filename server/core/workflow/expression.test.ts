import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ExpressionError, MAX_EXPRESSION_NESTING, evaluate, parseExpression, referencedPaths, type BinaryOp, type Expr } from "./expression";

const run = (src: string, scope: Record<string, unknown> = {}) => evaluate(parseExpression(src), scope);
const parseError = (src: string) => {
  try {
    parseExpression(src);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return (e as ExpressionError).message;
  }
  throw new Error(`expected ${src} not to parse`);
};

const scope = {
  params: { branch: "main", min: 80, flag: true },
  steps: {
    test: { status: "succeeded", result: { coverage: 91.5, failed: 0, "key with space": "yes", list: [10, 20, 30], nested: { a: [1, { b: 2 }] } }, error: null },
  },
};

describe("expression literals and paths", () => {
  test("[EXPR]: literals evaluate to themselves", () => {
    expect(run("42")).toBe(42);
    expect(run("2.5e2")).toBe(250);
    expect(run("'single'")).toBe("single");
    expect(run('"double"')).toBe("double");
    expect(run(String.raw`"a\"b\n\u0041"`)).toBe('a"b\nA');
    expect(run("true")).toBe(true);
    expect(run("false")).toBe(false);
    expect(run("null")).toBe(null);
  });

  test("[EXPR]: paths read fields, quoted keys and indexes", () => {
    expect(run("steps.test.result.coverage", scope)).toBe(91.5);
    expect(run("params.branch", scope)).toBe("main");
    expect(run("steps.test.status", scope)).toBe("succeeded");
    expect(run(`steps.test.result["key with space"]`, scope)).toBe("yes");
    expect(run(`steps['test'].result.list[1]`, scope)).toBe(20);
    expect(run(`steps.test.result.nested.a[1].b`, scope)).toBe(2);
    expect(run(`steps.test.result.list.length`, scope)).toBe(3);
  });

  test("[EXPR]: a missing path is undefined", () => {
    expect(run("steps.build.result.sha", scope)).toBeUndefined();
    expect(run("steps.test.result.list[7]", scope)).toBeUndefined();
    expect(run("params.branch.length", scope)).toBeUndefined(); // strings have no fields
    expect(run("nothing")).toBeUndefined();
  });
});

describe("expression operators", () => {
  test("[EXPR]: precedence is unary, multiplicative, additive, comparison, equality, and, or", () => {
    expect(run("1 + 2 * 3")).toBe(7);
    expect(run("(1 + 2) * 3")).toBe(9);
    expect(run("10 - 4 - 3")).toBe(3); // left-associative
    expect(run("24 / 4 / 2")).toBe(3);
    expect(run("7 % 4 * 2")).toBe(6);
    expect(run("-2 * 3")).toBe(-6);
    expect(run("- -2")).toBe(2);
    expect(run("1 + 2 < 4")).toBe(true);
    expect(run("1 < 2 == true")).toBe(true);
    expect(run("!false == true")).toBe(true);
    expect(run("true || false && false")).toBe(true);
    expect(run("(true || false) && false")).toBe(false);
    expect(run("1 == 1 && 2 != 3")).toBe(true);
  });

  test("[EXPR]: + concatenates when either side is a string", () => {
    expect(run("'v' + 1 + 2")).toBe("v12");
    expect(run("1 + 2 + 'v'")).toBe("3v");
    expect(run("params.branch + '-' + params.flag", scope)).toBe("main-true");
  });

  test("[EXPR]: == and != are strict and structural; null equals a missing value", () => {
    expect(run("1 == '1'")).toBe(false);
    expect(run("0 == false")).toBe(false);
    expect(run("'' == null")).toBe(false);
    expect(run("null == null")).toBe(true);
    expect(run("steps.nope == null", scope)).toBe(true);
    expect(run("steps.test.error == null", scope)).toBe(true);
    expect(run("steps.test.result.nested == steps.test.result.nested", scope)).toBe(true);
    expect(run("a == b", { a: { x: [1, 2] }, b: { x: [1, 2] } })).toBe(true);
    expect(run("a != b", { a: { x: [1, 2] }, b: { x: [1, 3] } })).toBe(true);
  });

  test("[EXPR]: comparisons with missing values or mixed types are false", () => {
    expect(run("steps.test.result.nope >= 0", scope)).toBe(false);
    expect(run("steps.test.result.nope < 0", scope)).toBe(false);
    expect(run("'10' > 9")).toBe(false);
    expect(run("'b' > 'a'")).toBe(true);
    expect(run("steps.test.result.coverage >= params.min && steps.test.result.failed == 0", scope)).toBe(true);
  });

  test("[EXPR]: && and || short-circuit and return booleans", () => {
    expect(run("1 && 'x'")).toBe(true);
    expect(run("0 || ''")).toBe(false);
    expect(run("'' || 'x'")).toBe(true);
    expect(run("!0")).toBe(true);
    expect(run("!'x'")).toBe(false);
    // The right side would be a type error if it were evaluated.
    expect(run("false && true * 2")).toBe(false);
    expect(run("true || true * 2")).toBe(true);
  });

  test("[EXPR]: arithmetic with a missing value is missing, with a wrong type an error naming the operator", () => {
    expect(run("steps.x.result.n * 2", scope)).toBeUndefined();
    expect(run("-steps.x.result.n", scope)).toBeUndefined();
    expect(() => run("true * 2")).toThrow("cannot apply '*' to boolean and number at 6");
    expect(() => run("-'x'")).toThrow("cannot negate string at 1");
    expect(() => run("a - 1", { a: [1] })).toThrow(ExpressionError);
  });
});

describe("expression parse errors", () => {
  test("[EXPR]: errors name the position and what was expected", () => {
    expect(parseError("steps.a.x >= )")).toBe("unexpected ')' at 14, expected a value");
    expect(parseError("1 +")).toBe("unexpected end of expression at 4, expected a value");
    expect(parseError("a b")).toBe("unexpected 'b' at 3, expected an operator or the end of the expression");
    expect(parseError("(1 + 2")).toBe("unexpected end of expression at 7, expected ')'");
    expect(parseError("a.")).toBe("unexpected end of expression at 3, expected a field name");
    expect(parseError("a.1")).toBe("unexpected '1' at 3, expected a field name");
    expect(parseError("a[-1]")).toBe("unexpected '-' at 3, expected a quoted key or a non-negative whole number");
    expect(parseError("a['x'")).toBe("unexpected end of expression at 6, expected ']'");
    expect(parseError("")).toBe("expression is empty, expected a value");
  });

  test("[EXPR]: single = & | and unknown characters are refused with a hint", () => {
    expect(parseError("a = 1")).toBe("unexpected '=' at 3, expected '=='");
    expect(parseError("a & b")).toBe("unexpected '&' at 3, expected '&&'");
    expect(parseError("a | b")).toBe("unexpected '|' at 3, expected '||'");
    expect(parseError("a # b")).toBe("unexpected '#' at 3");
    expect(parseError("f(1)")).toBe("unexpected '(' at 2, expected an operator or the end of the expression");
  });

  test("[EXPR]: strings must end and escapes must be known", () => {
    expect(parseError("'abc")).toBe("unterminated string starting at 1");
    expect(parseError(String.raw`'a\qb'`)).toBe(String.raw`unknown escape '\q' at 3`);
    expect(parseError("12abc")).toBe("malformed number at 1");
  });

  test("[EXPR]: comparisons do not chain", () => {
    expect(parseError("1 < x < 5")).toMatch(/^unexpected '<' at 7: comparisons do not chain/);
    expect(parseError("a == b == c")).toMatch(/^unexpected '==' at 8/);
    expect(run("(1 < 2) == true")).toBe(true);
  });
});

describe("expression safety", () => {
  test("[EXPR]: prototype paths are missing, whatever the data", () => {
    expect(run("x.constructor", { x: {} })).toBeUndefined();
    expect(run("x.constructor.name", { x: {} })).toBeUndefined();
    expect(run("x.__proto__", { x: {} })).toBeUndefined();
    expect(run("x['__proto__']", { x: {} })).toBeUndefined();
    expect(run("x.prototype", { x: function named() {} })).toBeUndefined();
    expect(run("x.toString", { x: {} })).toBeUndefined();
    expect(run("constructor")).toBeUndefined();
    // Even an own property with a forbidden name is not read.
    const own = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}');
    expect(run("x.__proto__.polluted", { x: own })).toBeUndefined();
    expect(run("x.constructor", { x: own })).toBeUndefined();
  });

  test("[EXPR]: only own properties are read", () => {
    const inherited = Object.create({ secret: 1 }) as Record<string, unknown>;
    inherited.mine = 2;
    expect(run("x.secret", { x: inherited })).toBeUndefined();
    expect(run("x.mine", { x: inherited })).toBe(2);
    expect(run("x.length", { x: "abc" })).toBeUndefined();
  });

  test("[EXPR]: over-long and over-nested expressions are refused", () => {
    expect(parseError("1+".repeat(1000) + "1")).toBe("expression is 2001 characters long; the limit is 2000");
    const deep = "(".repeat(MAX_EXPRESSION_NESTING + 1) + "1" + ")".repeat(MAX_EXPRESSION_NESTING + 1);
    expect(parseError(deep)).toBe(`expression nests deeper than ${MAX_EXPRESSION_NESTING} levels at ${MAX_EXPRESSION_NESTING + 1}`);
    expect(parseError("!".repeat(100) + "x")).toMatch(/nests deeper/);
    expect(run("(".repeat(MAX_EXPRESSION_NESTING) + "1" + ")".repeat(MAX_EXPRESSION_NESTING))).toBe(1);
    // A long flat chain is fine: 999 additions within the length limit.
    expect(run("1+".repeat(999) + "1")).toBe(1000);
  });

  test("[EXPR]: any text either parses or throws ExpressionError", () => {
    const alphabet = fc.constantFrom(..."ab.[]()'\"0123456789 !-+*/%<>=&|_".split(""));
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 40 }), (src) => {
        try {
          const e = parseExpression(src);
          try {
            evaluate(e, { a: { b: [1, "x"] } });
          } catch (err) {
            expect(err).toBeInstanceOf(ExpressionError);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(ExpressionError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("expression references", () => {
  test("[EXPR]: referencedPaths lists each path once in source order", () => {
    const e = parseExpression("steps.test.result.coverage >= params.min && steps.test.result['a b'][0] != steps.test.result.coverage");
    expect(referencedPaths(e)).toEqual([
      ["steps", "test", "result", "coverage"],
      ["params", "min"],
      ["steps", "test", "result", "a b", "0"],
    ]);
    expect(referencedPaths(parseExpression("1 + 2"))).toEqual([]);
  });
});

// ---- Precedence property: printing an AST with minimal parentheses parses back to it. ----

const BP: Record<BinaryOp, number> = { "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6 };
type Shape = { k: "n"; v: number } | { k: "p"; v: string } | { k: "u"; op: "!" | "-"; e: Shape } | { k: "b"; op: BinaryOp; l: Shape; r: Shape };

function print(s: Shape): string {
  switch (s.k) {
    case "n":
      return String(s.v);
    case "p":
      return s.v;
    case "u":
      return s.op + (s.e.k === "b" ? `(${print(s.e)})` : s.e.k === "u" ? ` ${print(s.e)}` : print(s.e));
    case "b": {
      const bp = BP[s.op];
      const nonAssoc = bp === 3 || bp === 4;
      const left = s.l.k === "b" && (BP[s.l.op] < bp || (nonAssoc && BP[s.l.op] === bp)) ? `(${print(s.l)})` : print(s.l);
      const right = s.r.k === "b" && BP[s.r.op] <= bp ? `(${print(s.r)})` : print(s.r);
      return `${left} ${s.op} ${right}`;
    }
  }
}

function strip(e: Expr): Shape {
  switch (e.kind) {
    case "literal":
      return { k: "n", v: e.value as number };
    case "path":
      return { k: "p", v: e.segments.join(".") };
    case "unary":
      return { k: "u", op: e.op, e: strip(e.operand) };
    case "binary":
      return { k: "b", op: e.op, l: strip(e.left), r: strip(e.right) };
  }
}

const shapes = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.nat(99).map((v): Shape => ({ k: "n", v })),
    fc.constantFrom("a", "b.c").map((v): Shape => ({ k: "p", v })),
    fc.record({ k: fc.constant("u" as const), op: fc.constantFrom("!" as const, "-" as const), e: tie("shape") }),
    fc.record({ k: fc.constant("b" as const), op: fc.constantFrom(...(Object.keys(BP) as BinaryOp[])), l: tie("shape"), r: tie("shape") }),
  ),
}));

test("[EXPR]: a tree printed with minimal parentheses parses back to the same tree", () => {
  fc.assert(
    fc.property(shapes.shape, (s) => {
      expect(strip(parseExpression(print(s)))).toEqual(s);
    }),
    { numRuns: 300 },
  );
});
