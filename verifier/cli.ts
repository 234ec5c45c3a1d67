// `npm run verifier -- <command>`: a verifier's own money and standing in the pool's committee,
// without running the node (oracle/cli.ts runs the node that re-trains and attests). stake and
// unstake move verifier stake, fees shows what is credited, withdraw-fees collects it, status
// shows the whole account. Every refusal is one `error: …` line (chain/reverts.ts's words).
import { Command } from "commander";
import { fileURLToPath } from "node:url";
import { connectPool, fmtTokens, loadAccount, stakeAsVerifier, unstakeAsVerifier, withdrawVerifierFees, type PoolConnection } from "../chain/node.js";
import { runMain, tokenArg, withChain } from "../chain/cliArgs.js";

interface ChainOpts {
  rpc: string;
  pool: string;
  keyFile?: string;
}

const connect = (o: ChainOpts) => connectPool({ rpc: o.rpc, pool: o.pool, account: loadAccount(o.keyFile) });

async function account(c: PoolConnection) {
  const me = c.account!.address;
  const [v, min, balance] = await Promise.all([c.committeeContract.read.verifierAccount([me]), c.committeeContract.read.minVerifierStake(), c.tokenContract.read.balanceOf([me])]);
  return { me, v, min, balance };
}

export function verifierProgram(): Command {
  const program = new Command().name("verifier").description("A PoNAS verifier's stake and fees in the pool's committee").showHelpAfterError(false);

  withChain(program.command("stake"), true, "verifier")
    .description("Deposit verifier stake from this key's PONAS (approves the committee first if needed)")
    .argument("<amount>", "PONAS, e.g. 250", tokenArg("<amount>"))
    .action(async (amount: bigint, o: ChainOpts) => {
      const c = await connect(o);
      const r = await stakeAsVerifier(c, amount);
      const { v, min } = await account(c);
      console.log(`staked ${fmtTokens(amount)} (tx ${r.hash}): verifier stake now ${fmtTokens(v.stake)}${v.stake < min ? `, below the minimum ${fmtTokens(min)}` : ""}`);
    });

  withChain(program.command("unstake"), true, "verifier")
    .description("Withdraw verifier stake (an active verifier keeps the minimum; a removed one may take all)")
    .argument("<amount>", "PONAS, e.g. 250", tokenArg("<amount>"))
    .action(async (amount: bigint, o: ChainOpts) => {
      const c = await connect(o);
      const r = await unstakeAsVerifier(c, amount);
      const { v } = await account(c);
      console.log(`unstaked ${fmtTokens(amount)} (tx ${r.hash}): verifier stake now ${fmtTokens(v.stake)}`);
    });

  withChain(program.command("fees"), true, "verifier")
    .description("Show the fees and slash shares credited to this key, not yet withdrawn")
    .action(async (o: ChainOpts) => {
      const { me, v } = await account(await connect(o));
      console.log(`${me} has ${fmtTokens(v.fees)} of verifier fees to withdraw${v.fees ? " (npm run verifier -- withdraw-fees)" : ""}`);
    });

  withChain(program.command("withdraw-fees"), true, "verifier")
    .description("Withdraw every fee and slash share credited to this key")
    .action(async (o: ChainOpts) => {
      const c = await connect(o);
      const amount = await withdrawVerifierFees(c);
      console.log(`withdrew ${fmtTokens(amount)} of verifier fees to ${c.account!.address}`);
    });

  withChain(program.command("status"), true, "verifier")
    .description("This key's standing: enrolled or not, stake against the minimum, fees, wallet PONAS")
    .action(async (o: ChainOpts) => {
      const { me, v, min, balance } = await account(await connect(o));
      const standing = !v.active ? "not an active verifier (ask the pool admin: npm run manager -- committee add)" : v.stake < min ? `active from round ${v.sinceRound}, but below the minimum stake: cannot attest until it stakes ${fmtTokens(min - v.stake)} more` : `active from round ${v.sinceRound}, can attest`;
      console.log(`${me}: ${standing}; stake ${fmtTokens(v.stake)} (minimum ${fmtTokens(min)}), fees ${fmtTokens(v.fees)}, wallet ${fmtTokens(balance)}`);
    });
  return program;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) runMain(verifierProgram());
