"use client";
// wagmi + react-query for the deployment the server read (chain id and addresses come from
// deployments/<network>.json at request time; reads go through /api/rpc, writes through the
// injected wallet).
import { useState, type ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { WagmiProvider, createConfig, http, injected } from "wagmi";
import { defineChain } from "viem";
import { ConfigContext } from "../lib/pool";
import type { AppConfig } from "../lib/config.server";

export function Providers({ config, children }: { config: AppConfig; children: ReactNode }) {
  const [state] = useState(() => {
    const rpc = typeof window === "undefined" ? "http://localhost/api/rpc" : `${window.location.origin}/api/rpc`;
    const chain = defineChain({
      id: config.chainId,
      name: config.chainId === 31337 ? "Hardhat (local)" : `Chain ${config.chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [rpc] } },
    });
    const wagmi = createConfig({ chains: [chain], connectors: [injected()], transports: { [chain.id]: http(rpc) }, ssr: true, pollingInterval: 500 });
    return { wagmi, query: new QueryClient({ defaultOptions: { queries: { retry: 1 } } }) };
  });
  return (
    <ConfigContext.Provider value={config}>
      <WagmiProvider config={state.wagmi}>
        <QueryClientProvider client={state.query}>{children}</QueryClientProvider>
      </WagmiProvider>
    </ConfigContext.Provider>
  );
}
