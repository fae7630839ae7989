import type { Metadata } from "next";
import { TrafficView } from "./_components/traffic-view";

export const metadata: Metadata = { title: "Traffic" };

export default function TrafficPage() {
  return <TrafficView />;
}
