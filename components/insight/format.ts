// The insight pages' number formats live in lib/insight-format.ts (the server's reports use them too).
export * from "@/lib/insight-format";
