"use client";
// Connect / disconnect with the injected wallet; a prompt to switch when it is on another chain.
import { useConnect, useConnection, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import { useAppConfig } from "../lib/pool";
import { shortAddr } from "../lib/format";
import { explainRevert } from "../lib/errors";

export function WalletBar() {
  const cfg = useAppConfig();
  const conn = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const switchChain = useSwitchChain();
  const wrongChain = conn.isConnected && conn.chainId !== cfg.chainId;
  return (
    <div className="wallet" aria-live="polite">
      {conn.isConnected ? (
        <>
          <span data-testid="account" title={conn.address}>
            Connected: {shortAddr(conn.address)}
          </span>
          <button type="button" onClick={() => disconnect.mutate({})}>
            Disconnect
          </button>
        </>
      ) : (
        <>
          <span className="muted">Read-only mode</span>
          {connectors.length === 0 && <span className="muted">no browser wallet found</span>}
          {connectors.slice(0, 1).map((c) => (
            <button type="button" key={c.uid} onClick={() => connect.mutate({ connector: c })} disabled={connect.isPending}>
              {connect.isPending ? "Connecting…" : "Connect wallet"}
            </button>
          ))}
          {connect.error && <span className="error" role="alert" data-testid="connect-error">{explainRevert(connect.error).message}</span>}
        </>
      )}
      {wrongChain && (
        <div className="warn" role="alert" data-testid="wrong-network">
          Your wallet is on chain {conn.chainId}; this pool is on chain {cfg.chainId}.{" "}
          <button type="button" onClick={() => switchChain.mutate({ chainId: cfg.chainId })}>
            Switch network
          </button>
          {switchChain.error && <span className="error"> {explainRevert(switchChain.error).message}</span>}
        </div>
      )}
    </div>
  );
}
