#!/usr/bin/env node
// Runs the TypeScript CLI in this process through tsx's loader. In-process (rather than a
// child `node --import tsx`) so signals reach the agent directly and its exit code is ours.
import { register } from "tsx/esm/api";

register();
await import("../cli.ts");
