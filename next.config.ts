import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The custom server (server/index.ts) owns the port; Next only renders pages.
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: true }, // `npm run typecheck` is the gate; the build need not repeat it
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
};

export default nextConfig;
