"use client";
import { useRouter } from "next/navigation";
import { Panel } from "@/components/panel";
import { TemplateEditor } from "@/components/workflows/template-editor";
import { EXAMPLE_TEMPLATE } from "@/components/workflows/template-source";

export function NewTemplate() {
  const router = useRouter();
  return (
    <Panel>
      <TemplateEditor initialSource={EXAMPLE_TEMPLATE} onSaved={(v) => router.push(`/workflows/${encodeURIComponent(v.name)}`)} onCancel={() => router.push("/workflows")} />
    </Panel>
  );
}
