// Helpers for the template editor's text: which format it is in, where an issue points, and the
// example a new template starts from. Pure.
import type { ValidationIssue } from "@/lib/api";

export type SourceFormat = "yaml" | "json";

/** JSON when the text starts like a JSON object; YAML otherwise (YAML is the authoring default). */
export function detectFormat(source: string): SourceFormat {
  return /^\s*\{/.test(source) ? "json" : "yaml";
}

export function lineCount(source: string): number {
  let n = 1;
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) n++;
  return n;
}

/** "step build · steps.0.dependsOn", "params.1.default", or "template" for whole-template issues. */
export function issueLocation(issue: ValidationIssue): string {
  const parts: string[] = [];
  if (issue.step) parts.push(`step ${issue.step}`);
  if (issue.path) parts.push(issue.path);
  return parts.join(" · ") || "template";
}

export const EXAMPLE_TEMPLATE = `# An example to start from: edit it, watch the preview, then save.
name: hello-pipeline
description: Build, test in parallel shards, ask a human, ship.
params:
  - name: target
    type: enum
    values: [staging, production]
    default: staging
  - name: shards
    type: number
    default: 2
    description: How many test shards run in parallel.
steps:
  - id: build
    title: Build
    requires: [shell]
    command: echo building
  - id: test
    parallel: "{{params.shards}}"
    dependsOn: [build]
    title: "Test shard {{index}}"
    requires: [shell]
    command: echo testing shard {{index}}
  - id: approve
    type: approval
    dependsOn: [test]
    title: "Ship to {{params.target}}?"
    description: Check the test shards, then approve to ship.
  - id: ship
    dependsOn: [approve]
    title: "Ship to {{params.target}}"
    requires: [shell]
    command: echo shipping to {{params.target}}
`;
