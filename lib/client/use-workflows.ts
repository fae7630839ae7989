"use client";
// Workflow templates: the list, one template with its versions, live validation for the editor
// and saving a new version.
import { useEffect, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { StepDef, Template } from "@/lib/workflow";
import type { ValidationIssue } from "@/lib/api";
import { errorMessage } from "./error-message";
import { useTRPC, useTRPCClient } from "./trpc";

export type TemplateFormat = "yaml" | "json";
/** A step of a template expanded with its default parameters (fan-out copies included). */
export interface TemplateGraphStep {
  id: string;
  type: StepDef["type"];
  title: string;
  dependsOn: string[];
}
/** `templates.validate`'s answer: the definition and its preview graph, or every issue found. */
export type ValidationResult = { ok: true; definition: Template; graph: TemplateGraphStep[] } | { ok: false; issues: ValidationIssue[] };

/** Every template with its latest version's parameters. */
export function useTemplates() {
  const trpc = useTRPC();
  return useQuery(trpc.templates.find.queryOptions());
}

/** One template, at `version` or its latest, with the list of its versions. */
export function useTemplate(name: string, version?: number) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.templates.get.queryOptions(version ? { name, version } : { name }), placeholderData: (prev) => prev });
}

/** How long typing must pause before the editor's source is validated. */
export const VALIDATE_DEBOUNCE_MS = 300;

/**
 * Validates `source` on the server once typing pauses. Only the answer for the latest source is
 * kept: an older request still in flight is aborted.
 */
export function useTemplateValidation(source: string, format: TemplateFormat) {
  const client = useTRPCClient();
  const [state, setState] = useState<{ source: string; format: TemplateFormat; result: ValidationResult | null; error: string | null }>({ source: "", format, result: null, error: null });
  useEffect(() => {
    if (!source.trim()) {
      setState({ source, format, result: null, error: null });
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      client.templates.validate
        .mutate({ source, format }, { signal: abort.signal })
        .then((result) => setState({ source, format, result: result satisfies ValidationResult, error: null }))
        .catch((e: unknown) => {
          if (!abort.signal.aborted) setState({ source, format, result: null, error: errorMessage(e) });
        });
    }, VALIDATE_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [client, source, format]);
  const current = state.source === source && state.format === format;
  return { result: state.result, error: state.error, pending: !current && source.trim() !== "" };
}

/** Saves a template (admin; `templates.save`): a new version when the definition changed, else the latest. */
export function useSaveTemplate() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(
    trpc.templates.save.mutationOptions({
      onSuccess: (version) => {
        void qc.invalidateQueries({ queryKey: trpc.templates.find.queryKey() });
        void qc.invalidateQueries({ queryKey: trpc.templates.get.queryKey({ name: version.name }) });
      },
    }),
  );
}
