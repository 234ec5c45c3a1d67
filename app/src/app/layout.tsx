import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Providers } from "../components/Providers";
import { WalletBar } from "../components/Wallet";
import { loadAppConfig } from "../lib/config.server";
import "./globals.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "PoNAS Pool", description: "Miners, verifiers and auditors of the PoNAS mining pool" };
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  const config = loadAppConfig();
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        {"error" in config ? (
          <main id="main">
            <h1>PoNAS Pool</h1>
            <p className="error" role="alert">
              {config.error}
            </p>
          </main>
        ) : (
          <Providers config={config}>
            <header>
              <nav aria-label="Main">
                <strong>PoNAS Pool</strong>
                <Link href="/">Dashboard</Link>
                <Link href="/mine">Mine</Link>
                <Link href="/audit">Audit</Link>
                <Link href="/verifiers">Verifiers</Link>
              </nav>
              <WalletBar />
            </header>
            <main id="main">{children}</main>
            <footer className="muted">
              {config.network} · chain {config.chainId} · pool <code>{config.pool}</code>
            </footer>
          </Providers>
        )}
      </body>
    </html>
  );
}
