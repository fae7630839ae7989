import type { Metadata, Viewport } from "next";
import { Suspense, type ReactNode } from "react";
import { Providers } from "@/lib/client/providers";
import { Nav } from "@/components/nav/nav";
import { AlertToasts } from "@/components/alerts/alert-toasts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Switchboard", template: "%s · Switchboard" },
  description: "Control plane for fleets of agents",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#161920" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans text-[15px] antialiased">
        <Providers>
          {/* Its own hydration boundary (see app/page.tsx): the bar hydrates apart from the page. */}
          <Suspense>
            <Nav />
          </Suspense>
          <main className="mx-auto w-full max-w-7xl px-3 py-4 sm:px-6 sm:py-6">{children}</main>
          <AlertToasts />
        </Providers>
      </body>
    </html>
  );
}
