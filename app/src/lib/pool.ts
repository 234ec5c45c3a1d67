"use client";
// Client-side reads of the pool through viem (via the app's /api/rpc proxy): rounds, tasks,
// submissions and the round's decoded event logs. ABIs come only from deployments/abi.ts.
import { createContext, useContext } from "react";
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Address, Hex, PublicClient } from "viem";
import { poNASPoolAbi } from "../../../deployments/abi";
import type { PoolEvent } from "../../../chain/audit";
import { submissionView, type SubmissionView } from "../../../chain/submission";
import type { AppConfig } from "./config.server";

export const ConfigContext = createContext<AppConfig | null>(null);
export function useAppConfig(): AppConfig {
  const c = useContext(ConfigContext);
  if (!c) throw new Error("no app config");
  return c;
}

export type Phase = "commit" | "reveal" | "verify" | "finalisable" | "finalised";

export function phaseOf(now: number, r: { commitEnd: number; revealEnd: number; verifyEnd: number; finalized: boolean }): { phase: Phase; endsAt: number | null } {
  if (r.finalized) return { phase: "finalised", endsAt: null };
  if (now <= r.commitEnd) return { phase: "commit", endsAt: r.commitEnd };
  if (now <= r.revealEnd) return { phase: "reveal", endsAt: r.revealEnd };
  if (now <= r.verifyEnd) return { phase: "verify", endsAt: r.verifyEnd };
  return { phase: "finalisable", endsAt: null };
}

export interface SlotData extends SubmissionView {
  genome?: Hex;
  projected: bigint;
  /** Withdrawn.reward once settled. */
  paid: bigint | null;
}
export interface TaskData {
  task: number;
  mask: Hex;
  value: Hex;
  slots: SlotData[];
  backupsAllowed: boolean;
}
export interface RoundData {
  roundId: bigint;
  now: number;
  params: Awaited<ReturnType<typeof readRound>>["params"];
  state: Awaited<ReturnType<typeof readRound>>["state"];
  backupRevealStart: number;
  phase: Phase;
  endsAt: number | null;
  tasks: TaskData[];
  events: (PoolEvent & { blockNumber: bigint; logIndex: number })[];
}

async function readRound(pc: PublicClient, pool: Address, roundId: bigint) {
  const c = { address: pool, abi: poNASPoolAbi } as const;
  const [params, state, split, block] = await Promise.all([
    pc.readContract({ ...c, functionName: "getRound", args: [roundId] }),
    pc.readContract({ ...c, functionName: "getRoundState", args: [roundId] }),
    pc.readContract({ ...c, functionName: "backupRevealStart", args: [roundId] }),
    pc.getBlock(),
  ]);
  return { params, state, split: Number(split), now: Number(block.timestamp) };
}

/** All pool events of one round, decoded, in chain order. */
export async function roundEvents(pc: PublicClient, cfg: AppConfig, roundId: bigint): Promise<RoundData["events"]> {
  const logs = await pc.getContractEvents({ address: cfg.pool, abi: poNASPoolAbi, fromBlock: BigInt(cfg.fromBlock), toBlock: "latest" });
  return logs
    .filter((l) => (l.args as { roundId?: bigint }).roundId === roundId)
    .map((l) => ({ eventName: l.eventName, args: l.args, blockNumber: l.blockNumber, logIndex: l.logIndex }) as unknown as RoundData["events"][number]);
}

export async function loadRound(pc: PublicClient, cfg: AppConfig, roundId: bigint): Promise<RoundData> {
  const c = { address: cfg.pool, abi: poNASPoolAbi } as const;
  const { params, state, split, now } = await readRound(pc, cfg.pool, roundId);
  const events = await roundEvents(pc, cfg, roundId);
  const genomeOf = new Map<string, Hex>();
  const paidOf = new Map<string, bigint>();
  for (const e of events) {
    if (e.eventName === "Revealed") genomeOf.set(`${e.args.task}:${e.args.slot}`, (e.args as unknown as { genome: Hex }).genome);
    if (e.eventName === "Withdrawn") paidOf.set(`${e.args.task}:${e.args.slot}`, e.args.reward);
  }
  const tasks = await Promise.all(
    Array.from({ length: state.taskCount }, async (_, t) => {
      const [task, primary, backupsAllowed] = await Promise.all([
        pc.readContract({ ...c, functionName: "getTask", args: [roundId, BigInt(t)] }),
        pc.readContract({ ...c, functionName: "getSubmission", args: [roundId, BigInt(t), 0n] }),
        pc.readContract({ ...c, functionName: "backupsAllowed", args: [roundId, BigInt(t)] }).catch(() => false),
      ]);
      const slots: SlotData[] = [];
      if (primary.status !== 0) {
        for (let slot = 0; slot <= primary.backups; slot++) {
          const [sub, projected] = await Promise.all([
            slot === 0 ? primary : pc.readContract({ ...c, functionName: "getSubmission", args: [roundId, BigInt(t), BigInt(slot)] }),
            pc.readContract({ ...c, functionName: "projectedReward", args: [roundId, BigInt(t), BigInt(slot)] }),
          ]);
          slots.push({
            ...submissionView(sub, primary, slot),
            genome: genomeOf.get(`${t}:${slot}`),
            projected,
            paid: paidOf.get(`${t}:${slot}`) ?? null,
          });
        }
      }
      return { task: t, mask: task.mask, value: task.value, slots, backupsAllowed: Boolean(backupsAllowed) };
    }),
  );
  const { phase, endsAt } = phaseOf(now, { commitEnd: params.commitEnd, revealEnd: params.revealEnd, verifyEnd: params.verifyEnd, finalized: state.finalized });
  return { roundId, now, params, state, backupRevealStart: split, phase, endsAt, tasks, events };
}

export function useRoundCount() {
  const cfg = useAppConfig();
  const pc = usePublicClient({ chainId: cfg.chainId }); // the pool's chain, whatever chain the wallet is on
  return useQuery({
    queryKey: ["roundCount", cfg.pool],
    queryFn: () => pc!.readContract({ address: cfg.pool, abi: poNASPoolAbi, functionName: "roundCount" }),
    enabled: !!pc,
    refetchInterval: 2000,
  });
}

export function useRound(roundId: bigint | undefined) {
  const cfg = useAppConfig();
  const pc = usePublicClient({ chainId: cfg.chainId }); // the pool's chain, whatever chain the wallet is on
  return useQuery({
    queryKey: ["round", cfg.pool, roundId?.toString()],
    queryFn: () => loadRound(pc as PublicClient, cfg, roundId!),
    enabled: !!pc && roundId !== undefined && roundId > 0n,
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
export function useSpaceInfo(round: RoundData | undefined) {
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
