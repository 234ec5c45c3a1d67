// The pool admin's commands beside the round ones (registered on the manager's program by
// registerAdminCommands): enrolling and removing verifiers, listing the committee, pausing and
// unpausing the pool, sweeping a round's surplus to the treasury and moving PONAS. Each is one
// chain action (chain/actions/committee.ts, admin.ts) and prints one line; a refusal is one
// `error: …` line (chain/reverts.ts's words for the contract's errors).
import type { Command } from "commander";
import type { Address } from "viem";
import { connectPool, fmtTokens, latestRound, loadAccount, readCommittee, setCommitteeMember, setPaused, sweepRound, transferTokens } from "../chain/node.js";
import { addressArg, intArg, tokenArg, withChain } from "../chain/cliArgs.js";

interface ChainOpts {
  rpc: string;
  pool: string;
  keyFile?: string;
}

const signer = (o: ChainOpts) => connectPool({ rpc: o.rpc, pool: o.pool, account: loadAccount(o.keyFile) });

export function registerAdminCommands(program: Command): void {
  const committee = program.command("committee").description("Enrol, remove and list the pool's verifiers (the committee's admin)");
  withChain(committee.command("add"), true, "committee admin")
    .description("Enrol a verifier: it verifies rounds opened from now on (it must stake: npm run verifier -- stake)")
    .argument("<address>", "the verifier's address", addressArg("<address>"))
    .action(async (who: Address, o: ChainOpts) => {
      const c = await signer(o);
      const r = await setCommitteeMember(c, who, true);
      const v = await c.committeeContract.read.verifierAccount([who]);
      const min = await c.committeeContract.read.minVerifierStake();
      console.log(`enrolled ${who} in the committee (tx ${r.hash}): it verifies rounds from ${v.sinceRound} on${v.stake < min ? `, once it stakes ${fmtTokens(min - v.stake)} more` : ""}`);
    });
  withChain(committee.command("remove"), true, "committee admin")
    .description("Remove a verifier at once (its stake and fees stay its own; it may then unstake all)")
    .argument("<address>", "the verifier's address", addressArg("<address>"))
    .action(async (who: Address, o: ChainOpts) => {
      const r = await setCommitteeMember(await signer(o), who, false);
      console.log(`removed ${who} from the committee (tx ${r.hash}); its stake and fees stay its own to withdraw`);
    });
  withChain(committee.command("list"), false)
    .description("Every verifier ever enrolled: active, stake, credited fees, first round")
    .action(async (o: ChainOpts) => {
      const k = await readCommittee(await connectPool({ rpc: o.rpc, pool: o.pool }));
      console.log(`committee: ${k.activeStaked} active and staked of ${k.members.length} enrolled; minimum stake ${fmtTokens(k.minVerifierStake)}, penalty ${fmtTokens(k.penalty)}`);
      for (const m of k.members) {
        console.log(`  ${m.address} ${m.active ? "active" : "removed"}${m.active && !m.staked ? " (below the minimum stake: cannot attest)" : ""}, stake ${fmtTokens(m.stake)}, fees ${fmtTokens(m.fees)}, from round ${m.sinceRound}`);
      }
    });

  for (const [name, paused] of [["pause", true], ["unpause", false]] as const) {
    withChain(program.command(name), true, "pauser")
      .description(paused ? "Stop claims, commits, reveals and new rounds (PAUSER_ROLE); withdrawals and verification go on" : "Lift a pause (PAUSER_ROLE); miners get the paused time back in their windows")
      .action(async (o: ChainOpts) => {
        const c = await signer(o);
        const r = await setPaused(c, paused);
        console.log(`${paused ? "paused" : "unpaused"} pool ${c.pool} (tx ${r.hash})`);
      });
  }

  withChain(program.command("sweep"), true)
    .description("Send a finished round's surplus (forfeits, dust, unspent verifier fees) to the treasury (anyone may)")
    .option("--round <id>", "round id (default: the latest)", intArg("--round", 1, Number.MAX_SAFE_INTEGER))
    .action(async (o: ChainOpts & { round?: number }) => {
      const c = await signer(o);
      const id = o.round ? BigInt(o.round) : await latestRound(c);
      const s = await sweepRound(c, id);
      console.log(`swept round ${id} to the treasury ${s.treasury}: ${fmtTokens(s.pool)} from the pool, ${fmtTokens(s.fees)} of unspent verifier fees and penalties (tx ${s.txs.join(", ")})`);
    });

  withChain(program.command("transfer"), true)
    .description("Send PONAS from this key to an address (fund miners and verifiers)")
    .argument("<to>", "recipient address", addressArg("<to>"))
    .argument("<amount>", "PONAS, e.g. 250 or 0.5", tokenArg("<amount>"))
    .action(async (to: Address, amount: bigint, o: ChainOpts) => {
      const r = await transferTokens(await signer(o), to, amount);
      console.log(`sent ${fmtTokens(amount)} to ${to} (tx ${r.hash})`);
    });
}
