import { describe, expect, it } from "vitest";
import { channelInput, type ChannelView } from "@/lib/api";
import { channelTarget, channelToForm, describeOutcome, describeRoute, emptyChannelForm, formToChannelInput } from "./channel-form-model";

const channel = (over: Partial<ChannelView> = {}): ChannelView => ({
  id: "chan-1",
  name: "ops hook",
  kind: "webhook",
  url: "https://hooks.example.com/services/T0/B0/secret-part",
  to: [],
  signed: true,
  matchers: ['team="ml"'],
  minSeverity: "warning",
  groupBy: ["agent"],
  enabled: true,
  createdBy: "admin",
  updatedAt: 0,
  ...over,
});

describe("channels", () => {
  it("say which alerts reach them and how they are batched", () => {
    expect(describeRoute(channel())).toBe('alerts with severity ≥ warning matching team="ml"; grouped by rule and agent');
    expect(describeRoute({ matchers: [], minSeverity: "info", groupBy: [] })).toBe("alerts of any severity; grouped by rule");
    expect(describeRoute({ matchers: ['team="ml"', 'capability=~"gpu|cuda"'], minSeverity: "critical", groupBy: ["agent", "capability"] })).toBe('critical alerts matching team="ml" and capability=~"gpu|cuda"; grouped by rule and agent, capability');
  });

  it("show the host of a URL (the rest may be a credential), or the addresses", () => {
    expect(channelTarget(channel())).toBe("hooks.example.com");
    expect(channelTarget(channel({ url: "http://127.0.0.1:8123/hook" }))).toBe("127.0.0.1:8123");
    expect(channelTarget(channel({ kind: "email", url: "", to: ["a@x.io", "b@x.io"] }))).toBe("a@x.io, b@x.io");
    expect(channelTarget(channel({ kind: "email", url: "", to: ["a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io"] }))).toBe("a@x.io, b@x.io, c@x.io and 2 more");
  });

  it("convert the form to the API's input with only the fields of the kind", () => {
    const f = { ...emptyChannelForm(), name: " hook ", url: " http://127.0.0.1:9/x ", secret: "0123456789abcdef", matchers: 'team="ml", capability=~"gpu|cuda"', groupBy: "agent, capability", to: "ignored@x.io" };
    const r = formToChannelInput(f);
    expect(r).toEqual({ ok: true, value: { name: "hook", kind: "webhook", url: "http://127.0.0.1:9/x", secret: "0123456789abcdef", matchers: ['team="ml"', 'capability=~"gpu|cuda"'], minSeverity: "warning", groupBy: ["agent", "capability"], enabled: true } });
    expect(channelInput.safeParse(r.ok && r.value).success).toBe(true);
    expect(formToChannelInput({ ...f, kind: "slack" })).toMatchObject({ ok: true, value: { kind: "slack", url: "http://127.0.0.1:9/x" } });
    expect(formToChannelInput({ ...f, kind: "slack" }).ok && "secret" in (formToChannelInput({ ...f, kind: "slack" }) as { value: object }).value).toBe(false);
    expect(formToChannelInput({ ...f, kind: "email", to: "a@x.io, b@x.io\nc@x.io" })).toMatchObject({ ok: true, value: { kind: "email", to: ["a@x.io", "b@x.io", "c@x.io"] } });
    expect(formToChannelInput({ ...f, secret: "" })).toMatchObject({ ok: true });
    expect("secret" in (formToChannelInput({ ...f, secret: "" }) as { value: object }).value).toBe(false);
  });

  it("refuse a matcher that does not parse, naming it, and a missing name", () => {
    expect(formToChannelInput({ ...emptyChannelForm(), name: "x", matchers: "team=ml" })).toMatchObject({ ok: false, field: "matchers", text: expect.stringContaining('"team=ml" is not a label matcher') });
    expect(formToChannelInput(emptyChannelForm())).toMatchObject({ ok: false, field: "name" });
  });

  it("fill the form from a channel, never with its secret", () => {
    expect(channelToForm(channel())).toEqual({ name: "ops hook", kind: "webhook", url: "https://hooks.example.com/services/T0/B0/secret-part", secret: "", to: "", matchers: 'team="ml"', minSeverity: "warning", groupBy: "agent", enabled: true });
  });

  it("say how a test went", () => {
    expect(describeOutcome({ ok: true, status: 200, error: null, durationMs: 12.4 })).toBe("Delivered: HTTP 200 in 12 ms");
    expect(describeOutcome({ ok: false, status: 500, error: "HTTP 500", durationMs: 3 })).toBe("Failed: HTTP 500 (3 ms)");
    expect(describeOutcome({ ok: false, status: null, error: null, durationMs: 0 })).toBe("Failed (0 ms)");
    expect(describeOutcome({ ok: false, status: null, error: "connect ECONNREFUSED 127.0.0.1:9", durationMs: 1_500 })).toBe("Failed: connect ECONNREFUSED 127.0.0.1:9 (1.5 s)");
  });
});
