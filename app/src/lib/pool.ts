"use client";
// The pool as the app's pages read it: the chain/ pool client (@ponas/chain) over the public client
// wagmi gives the app (through its /api/rpc proxy) and the deployment the server read. Rounds,
// phases, tasks, slots and events are chain's readRound/readRoundDetail, the same as the CLIs'.
// The pool's lens (its derived views) is read from the pool itself, once: the pool creates it and
// it never changes, so the deployment file needs no entry for it.
import { createContext, useContext, useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { usePublicClient, useReadContract } from "wagmi";
import type { Hex } from "viem";
import { readRound, readRoundDetail, type PoolReader, type RoundDetail } from "@ponas/chain";
import { poNASPoolAbi } from "@ponas/deployments";
import type { AppConfig } from "./config.server";

export const ConfigContext = createContext<AppConfig | null>(null);
export function useAppConfig(): AppConfig {
  const c = useContext(ConfigContext);
  if (!c) throw new Error("no app config");
  return c;
}

/** chain/'s PoolReader for the app's deployment, on the pool's chain whatever chain the wallet is on; undefined until wagmi has a client and the pool named its lens. */
export function usePoolReader(): PoolReader | undefined {
  const cfg = useAppConfig();
  const publicClient = usePublicClient({ chainId: cfg.chainId });
  // pool.lens() is immutable: read once per pool, never refetched
  const lens = useReadContract({ address: cfg.pool, abi: poNASPoolAbi, functionName: "lens", chainId: cfg.chainId, query: { staleTime: Infinity, gcTime: Infinity } });
  return useMemo(
    () => (publicClient && lens.data ? { publicClient, pool: cfg.pool, committee: cfg.committee, lens: lens.data, token: cfg.token, fromBlock: BigInt(cfg.fromBlock) } : undefined),
    [publicClient, lens.data, cfg.pool, cfg.committee, cfg.token, cfg.fromBlock],
  );
}

export function useRoundCount() {
  const cfg = useAppConfig();
  const reader = usePoolReader();
  return useQuery({
    queryKey: ["roundCount", cfg.pool],
    queryFn: () => reader!.publicClient.readContract({ address: reader!.pool, abi: poNASPoolAbi, functionName: "roundCount" }),
    enabled: !!reader,
    refetchInterval: 2000,
  });
}

/** A round with every task, slot and event (chain's readRoundDetail). */
export function useRound(roundId: bigint | undefined) {
  const cfg = useAppConfig();
  const reader = usePoolReader();
  return useQuery({
    queryKey: ["round", cfg.pool, roundId?.toString()],
    queryFn: () => readRoundDetail(reader!, roundId!),
    enabled: !!reader && roundId !== undefined && roundId > 0n,
    refetchInterval: 2000,
  });
}

/** A round's parameters, state and phase only (chain's readRound): for lists of rounds. */
export function useRoundSummary(roundId: bigint | undefined) {
  const cfg = useAppConfig();
  const reader = usePoolReader();
  return useQuery({
    queryKey: ["roundSummary", cfg.pool, roundId?.toString()],
    queryFn: () => readRound(reader!, roundId!),
    enabled: !!reader && roundId !== undefined && roundId > 0n,
    refetchInterval: 2000,
  });
}

export interface SpaceInfo {
  space: string;
  descriptions: string[];
  genomes: Record<string, string>;
  partition: { size: number; covered: number; uncovered: number; overlapping: number; ok: boolean; examples: { genome: Hex; tasks: number[] }[] };
}

/** Subspace words, genome words and the partition check, from the server's NAS codec. */
export function useSpaceInfo(round: RoundDetail | undefined) {
  const tasks = round?.tasks.map((t) => ({ mask: t.mask, value: t.value })) ?? [];
  const genomes = round?.tasks.flatMap((t) => t.slots.flatMap((s) => (s.genome ? [s.genome] : []))) ?? [];
  return useQuery({
    queryKey: ["space", round?.params.spaceId, JSON.stringify(tasks), genomes.join()],
    enabled: !!round,
    staleTime: Infinity,
    queryFn: async (): Promise<SpaceInfo> => {
      const res = await fetch("/api/space", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ spaceId: round!.params.spaceId, tasks, genomes }) });
      const j = await res.json();
      if (!res.ok) throw new Error(j.error ?? `space lookup failed (${res.status})`);
      return j;
    },
  });
}
