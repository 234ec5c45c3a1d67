"use client";
// Sending a pool/token transaction: simulate first (a revert is decoded from the contract's custom
// errors before anything is signed), then send through the wallet, then wait for the receipt.
import { useCallback, useState } from "react";
import { usePublicClient, useWriteContract } from "wagmi";
import type { Abi, Address } from "viem";
import { explainRevert } from "../lib/errors";
import { useAppConfig } from "../lib/pool";

export interface TxEntry {
  id: number;
  label: string;
  state: "pending" | "confirmed" | "failed";
  message: string;
  hash?: string;
}

export function useTx() {
  const cfg = useAppConfig();
  const pc = usePublicClient({ chainId: cfg.chainId });
  const write = useWriteContract();
  const [log, setLog] = useState<TxEntry[]>([]);
  const send = useCallback(
    async (label: string, account: Address, call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] }): Promise<boolean> => {
      const id = Date.now() + Math.random();
      const put = (e: Partial<TxEntry>) => setLog((l) => [{ id, label, state: "pending", message: "", ...l.find((x) => x.id === id), ...e } as TxEntry, ...l.filter((x) => x.id !== id)].slice(0, 8));
      put({ state: "pending", message: "checking…" });
      try {
        await pc!.simulateContract({ ...call, account } as never);
        put({ message: "waiting for your wallet…" });
        const hash = await write.mutateAsync(call as never);
        put({ message: "pending: waiting for the block…", hash });
        const rc = await pc!.waitForTransactionReceipt({ hash });
        if (rc.status !== "success") {
          put({ state: "failed", message: "reverted on chain" });
          return false;
        }
        put({ state: "confirmed", message: `confirmed in block ${rc.blockNumber}` });
        return true;
      } catch (e) {
        const { name, message } = explainRevert(e);
        put({ state: "failed", message: `${message}${name && name !== "UserRejected" ? ` (${name})` : ""}` });
        return false;
      }
    },
    [pc, write],
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
