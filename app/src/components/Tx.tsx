"use client";
// Sending a pool/token transaction through chain's `send`, the one send path of every node: it
// simulates first (a revert is decoded from the contract's custom errors before anything is
// signed), sends through the wallet (the viem WalletClient wagmi gives for the pool's chain), waits
// for the receipt and checks its status (a mined revert is named by a second simulation). The call
// is typed from the ABI as chain's is: a wrong function name or argument list does not compile.
import { useCallback, useState } from "react";
import { useWalletClient } from "wagmi";
import type { Abi } from "viem";
import { send as sendCall, type ContractCall, type Writable } from "@ponas/chain";
import { explainRevert } from "../lib/errors";
import { useAppConfig, usePoolReader } from "../lib/pool";

export interface TxEntry {
  id: number;
  label: string;
  state: "pending" | "confirmed" | "failed";
  message: string;
  hash?: string;
}

export function useTx() {
  const cfg = useAppConfig();
  const reader = usePoolReader();
  const { data: walletClient } = useWalletClient({ chainId: cfg.chainId });
  const [log, setLog] = useState<TxEntry[]>([]);
  const send = useCallback(
    async <const abi extends Abi, F extends Writable<abi>>(label: string, call: ContractCall<abi, F>): Promise<boolean> => {
      const id = Date.now() + Math.random();
      const put = (e: Partial<TxEntry>) => setLog((l) => [{ id, label, state: "pending", message: "", ...l.find((x) => x.id === id), ...e } as TxEntry, ...l.filter((x) => x.id !== id)].slice(0, 8));
      put({ state: "pending", message: "checking…" });
      if (!reader || !walletClient) {
        put({ state: "failed", message: `Connect a wallet on chain ${cfg.chainId} first.` });
        return false;
      }
      try {
        const { receipt } = await sendCall({ ...reader, walletClient, account: walletClient.account, chain: walletClient.chain }, call, {
          onSimulated: () => put({ message: "waiting for your wallet…" }),
          onSent: (hash) => put({ message: "pending: waiting for the block…", hash }),
        });
        put({ state: "confirmed", message: `confirmed in block ${receipt.blockNumber}` });
        return true;
      } catch (e) {
        const { name, message } = explainRevert(e);
        put({ state: "failed", message: `${message}${name && name !== "UserRejected" ? ` (${name})` : ""}` });
        return false;
      }
    },
    [reader, walletClient, cfg.chainId],
  );
  return { send, log };
}

export function TxLog({ log }: { log: TxEntry[] }) {
  return (
    <div aria-live="polite" data-testid="tx-log">
      {log.map((t) => (
        <div key={t.id} className={`tx ${t.state}`} data-state={t.state} role={t.state === "failed" ? "alert" : undefined}>
          <strong>{t.label}</strong>: {t.state === "failed" ? "failed — " : t.state === "confirmed" ? "confirmed — " : "pending — "}
          {t.message}
          {t.hash && <div className="muted"><code>{t.hash}</code></div>}
        </div>
      ))}
    </div>
  );
}
