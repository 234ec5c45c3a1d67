// Sending one pool or token transaction and knowing its outcome: the one send path of every node,
// the demo, the tests' helpers and the web app.
//  1. simulate: a revert the sender can fix (no stake, window closed, task taken) comes back as
//     the contract's named error (poolError) before any gas is spent, and the simulation's return
//     value is kept (openRound's round id);
//  2. write: if gas estimation fails because the chain changed since step 1, the call is simulated
//     again so the error names the reason (estimateGas's error does not decode it);
//  3. wait for the receipt and check its status: a transaction mined with status "reverted"
//     (another miner claimed the task in between) is simulated again to name its reason, and
//     surfaces as TxRevertedError carrying the hash (and the named reason as its cause).
// `serial` queues sends from the same key on one chain so two concurrent sends cannot take the
// same nonce (the oracle trains several submissions at once and attests as each finishes).
// Typed from the generated ABIs: a wrong function name or argument list does not compile.
import type { Abi, Account, Address, ContractFunctionArgs, ContractFunctionName, ContractFunctionReturnType, Hash, SimulateContractParameters, TransactionReceipt, WriteContractParameters } from "viem";
import { poNASPoolAbi, poolTokenAbi, verifierCommitteeAbi } from "../../deployments/abi.js";
import { addressOf, signerOf, type PoolClient } from "../client.js";
import { TxRevertedError, explainError, poolError } from "../errors.js";
import { gasShortfall } from "../gas.js";

export type Writable<abi extends Abi> = ContractFunctionName<abi, "nonpayable">;
export type PoolWrite = Writable<typeof poNASPoolAbi>;
export type CommitteeWrite = Writable<typeof verifierCommitteeAbi>;
export type TokenWrite = Writable<typeof poolTokenAbi>;
export type WriteArgs<abi extends Abi, F extends Writable<abi>> = ContractFunctionArgs<abi, "nonpayable", F>;

export interface ContractCall<abi extends Abi, F extends Writable<abi>> {
  address: Address;
  abi: abi;
  functionName: F;
  args: WriteArgs<abi, F>;
}

export interface SendOptions {
  /** Called once the simulation passed, just before the wallet is asked to sign and send (a browser shows "waiting for your wallet"). */
  onSimulated?: () => void;
  /** Called with the hash as soon as the transaction is handed to the node (before it is mined): persist it to survive a crash. */
  onSent?: (hash: Hash) => void;
  /** Queue behind other `serial` sends of the same key on the same chain (one nonce sequence). */
  serial?: boolean;
  /** Said after "reverted on chain;" when a mined revert has no named reason (e.g. "run the miner again to retry"). */
  retryHint?: string;
}

export interface Sent<R = unknown> {
  hash: Hash;
  receipt: TransactionReceipt;
  /** The function's return value as the simulation computed it. */
  result: R;
}

/** Per chain-and-key queues for `serial` sends. */
const queues = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => queues.get(key) === tail && queues.delete(key));
  return run;
}

/** Simulates, sends and waits for one contract call from `c`'s account; see the file header. */
export async function send<const abi extends Abi, F extends Writable<abi>>(
  c: PoolClient,
  call: ContractCall<abi, F>,
  options: SendOptions = {},
): Promise<Sent<ContractFunctionReturnType<abi, "nonpayable", F>>> {
  const s = signerOf(c);
  // viem's parameter types are generic over the call; these two casts join our typed call to
  // them (its name and arguments were already checked against the ABI by our own signature).
  const parameters = { ...call, account: s.account, chain: s.chain } as unknown as SimulateContractParameters;
  const simulate = () => s.publicClient.simulateContract(parameters);
  const submit = async () => {
    const { request, result } = await simulate();
    options.onSimulated?.();
    let hash: Hash;
    try {
      hash = await s.walletClient.writeContract(request as unknown as WriteContractParameters);
    } catch (e) {
      // Usually gas estimation reverting: the chain changed since the simulation. A second
      // simulation decodes the contract's error; the write's own error does not.
      await simulate();
      // Or an account that cannot pay gas: simulations pass without ETH, the write does not.
      throw (await gasShortfall(s.publicClient, addressOf(s.account as Account | Address), e)) ?? e;
    }
    options.onSent?.(hash);
    return { hash, result: result as ContractFunctionReturnType<abi, "nonpayable", F> };
  };
  const key = `${s.chain?.id ?? "?"}:${addressOf(s.account as Account | Address).toLowerCase()}`;
  const { hash, result } = await (options.serial ? serialised(key, submit) : submit());
  const receipt = await s.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    let reason: unknown;
    try {
      await simulate();
    } catch (e) {
      if (poolError(e)) reason = e;
    }
    const why = reason ? explainError(reason) : `${call.functionName} transaction ${hash} reverted on chain${options.retryHint ? `; ${options.retryHint}` : ""}`;
    throw new TxRevertedError(call.functionName, hash, why, reason ? { cause: reason } : undefined);
  }
  return { hash, receipt, result };
}

type PoolAbiError = Extract<(typeof poNASPoolAbi)[number], { type: "error" }>;
type TokenAbiError = Extract<(typeof poolTokenAbi)[number], { type: "error" }>;
const tokenErrors = poolTokenAbi.filter((x): x is TokenAbiError => x.type === "error");

/**
 * The pool's ABI with the token's errors: a pool call that moves tokens (openRound, stake) reverts
 * with OpenZeppelin's ERC20 error (ERC20InsufficientBalance, 0xe450d38c) bubbled up from the
 * token, and only an ABI that lists it lets viem name it instead of printing the selector.
 */
export const poolCallAbi = [...poNASPoolAbi, ...tokenErrors];

/** Sends a pool transaction (claim, commit, attest, …) from `c`'s account and waits until it is mined. */
export function sendPool<F extends PoolWrite>(c: PoolClient, functionName: F, args: WriteArgs<typeof poNASPoolAbi, F>, options?: SendOptions) {
  return send(c, { address: c.pool, abi: poolCallAbi as unknown as typeof poNASPoolAbi, functionName, args }, options);
}

/**
 * The committee's ABI with the pool's and the token's errors: a committee call the pool refuses
 * (not sampled, window closed, already final) reverts with the pool's error, bubbled up, and a
 * stake without allowance with the token's; only an ABI that lists them lets viem name them.
 */
export const committeeCallAbi = [
  ...verifierCommitteeAbi,
  ...poNASPoolAbi.filter((x): x is PoolAbiError => x.type === "error"),
  ...tokenErrors,
];

/** Sends a committee transaction (stakeVerifier, challenge, attest, withdrawFees, …) from `c`'s account and waits until it is mined. */
export function sendCommittee<F extends CommitteeWrite>(c: PoolClient, functionName: F, args: WriteArgs<typeof verifierCommitteeAbi, F>, options?: SendOptions) {
  return send(c, { address: c.committee, abi: committeeCallAbi as unknown as typeof verifierCommitteeAbi, functionName, args }, options);
}

/** Sends a token transaction (approve, transfer) from `c`'s account and waits until it is mined. */
export function sendToken<F extends TokenWrite>(c: PoolClient, functionName: F, args: WriteArgs<typeof poolTokenAbi, F>, options?: SendOptions) {
  return send(c, { address: c.token, abi: poolTokenAbi, functionName, args }, options);
}
