"use client";
import Link from "next/link";
import { useState } from "react";
import { INSIGHT_RANGES, type InsightDimension, type InsightRange } from "@/lib/api";
import { useFilterInUrl } from "@/lib/client/use-filter-in-url";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, PageHeader, Panel } from "@/components/panel";
import { csvHref } from "@/components/insight/csv";
import { CsvLink } from "@/components/insight/csv-link";
import { RANGE_LABEL } from "@/components/insight/format";
import { Segmented } from "@/components/insight/segmented";
import { SimulatedBanner } from "@/components/insight/simulated-banner";
import { INSIGHT_REFRESH_MS, useAnalyticsSummary, useRecommendations } from "@/components/insight/use-insight";
import { BottleneckList } from "./bottleneck-list";
import { BreakdownTable } from "./breakdown-table";
import { CpuHeatmap } from "./cpu-heatmap";
import { KpiCards } from "./kpi-cards";
import { RecommendationList } from "./recommendation-list";
import { SeriesCharts } from "./series-charts";
import { UtilisationPanel } from "./utilisation-panel";
import { WorkflowTable } from "./workflow-table";

const RANGE_OPTIONS = INSIGHT_RANGES.map((r) => ({ value: r, label: RANGE_LABEL[r].short }));

/**
 * The fleet's history over a range against the range before it: KPIs, series, breakdowns,
 * utilisation, CPU per agent, workflows, bottlenecks and what to do about them. Every figure is
 * the server's (insight.summary, insight.recommendations), refetched every quarter minute.
 */
export function AnalyticsView({ initialRange, initialDimension }: { initialRange: InsightRange; initialDimension: InsightDimension }) {
  const [range, setRange] = useState<InsightRange>(initialRange);
  const [dimension, setDimension] = useState<InsightDimension>(initialDimension);
  useFilterInUrl({ range: range === "24h" ? undefined : range, by: dimension === "capability" ? undefined : dimension });
  const summary = useAnalyticsSummary({ range, dimension });
  const recs = useRecommendations({ range });
  const data = summary.data;
  const csv = (table: string) => csvHref("summary", { range, dimension, table });

  return (
    <>
      <PageHeader
        title="Analytics"
        subtitle={
          <>
            Throughput, waits, utilisation and workflows over {RANGE_LABEL[range].long}, against {RANGE_LABEL[range].previous}. Refreshes every {INSIGHT_REFRESH_MS / 1000} s.{" "}
            <Link href="/analytics/errors" className="text-accent underline">
              Errors
            </Link>{" "}
            ·{" "}
            <Link href="/capacity" className="text-accent underline">
              Capacity
            </Link>
          </>
        }
        actions={<Segmented label="Range" options={RANGE_OPTIONS} value={range} onChange={setRange} testPrefix="range" />}
      />
      <SimulatedBanner simulated={data?.simulated ?? recs.data?.simulated} />
      <ErrorNotice error={summary.error} title="Could not load analytics" />
      {summary.isPending ? (
        <Loading label="Loading analytics…" />
      ) : data ? (
        <div className="space-y-4" data-testid="analytics" data-range={data.range} data-generated-at={data.generatedAt} aria-busy={summary.isPlaceholderData || undefined}>
          <KpiCards fleet={data.fleet} range={data.range} />
          <SeriesCharts summary={data} />
          <Panel
            title={`Breakdown by ${dimension}`}
            testId="breakdown-panel"
            actions={
              <div className="flex flex-wrap items-center gap-2">
                <Segmented
                  label="Break down by"
                  options={(["capability", "template", "agent", "label"] as const).map((d) => ({ value: d, label: d }))}
                  value={dimension}
                  onChange={setDimension}
                  testPrefix="dimension"
                />
                <CsvLink href={csv("breakdown")} what={`the breakdown by ${dimension}`} testId="csv-breakdown" />
              </div>
            }
          >
            <BreakdownTable rows={data.dimension === dimension ? data.breakdown : []} dimension={dimension} loading={data.dimension !== dimension} previous={RANGE_LABEL[range].previous} />
          </Panel>
          <Panel title="Utilisation" testId="utilisation-panel" actions={<CsvLink href={csv("utilisation")} what="utilisation" testId="csv-utilisation" />}>
            <UtilisationPanel utilisation={data.utilisation} />
          </Panel>
          <Panel title="CPU per agent" testId="heatmap-panel">
            <CpuHeatmap resources={data.resources} stepMs={data.resources.stepMs} from={data.from} to={data.to} />
          </Panel>
          <Panel title="Workflows" testId="workflows-panel" actions={<CsvLink href={csv("workflows")} what="workflow analytics" testId="csv-workflows" />}>
            <WorkflowTable workflows={data.workflows} />
          </Panel>
          <div className="grid gap-4 lg:grid-cols-2">
            <Panel title="Bottlenecks" testId="bottlenecks-panel" actions={<CsvLink href={csv("bottlenecks")} what="bottlenecks" testId="csv-bottlenecks" />}>
              <BottleneckList bottlenecks={data.bottlenecks} />
            </Panel>
            <Panel title="Recommendations" testId="recommendations-panel" actions={<CsvLink href={csvHref("recommendations", { range, table: "recommendations" })} what="recommendations" testId="csv-recommendations" />}>
              <ErrorNotice error={recs.error} title="Could not load recommendations" />
              {recs.isPending ? <Loading label="Loading recommendations…" /> : recs.data ? <RecommendationList recommendations={recs.data.recommendations} /> : null}
            </Panel>
          </div>
        </div>
      ) : null}
    </>
  );
}
