// Connects a node (oracle, miner, manager) to a pool with viem: the pool given as an address or as
// a deployments/<network>.json name, checked against the chain it is on, plus the token address
// and the block to back-fill events from. No global clients: callers pass the result around.
import {
  createPublicClient,
  createWalletClient,
  getContract,
  http,
  isAddress,
  type Account,
  type Address,
  type Chain,
  type PublicClient,
  type WalletClient,
} from "viem";
import { hardhat } from "viem/chains";
import { poNASLensAbi } from "../deployments/abi.js";
import { loadDeployment, poNASPoolAbi, poolTokenAbi, verifierCommitteeAbi } from "../deployments/index.js";
import type { PoolClient } from "./client.js";
import { ChainError, explainError } from "./errors.js";

/** A pool client (client.ts) for a CLI: every pool action takes it. */
export interface PoolConnection extends PoolClient {
  rpc: string;
  chain: Chain;
  publicClient: PublicClient;
  /** Present when an account was given. */
  walletClient?: WalletClient;
  account?: Account;
  pool: Address;
  committee: Address;
  lens: Address;
  token: Address;
  /** The first block that can hold pool events: the deployment file's, or the pool's own deploymentBlock() when given by address. */
  fromBlock: bigint;
  poolContract: ReturnType<typeof poolContractOf>;
  committeeContract: ReturnType<typeof committeeContractOf>;
  /** The pool's read-only views (isSampled, projectedReward, backupsAllowed, backupRevealStart, …). */
  lensContract: ReturnType<typeof lensContractOf>;
  tokenContract: ReturnType<typeof tokenContractOf>;
}

function poolContractOf(address: Address, publicClient: PublicClient, walletClient?: WalletClient) {
  return getContract({ address, abi: poNASPoolAbi, client: walletClient ? { public: publicClient, wallet: walletClient } : publicClient });
}
function committeeContractOf(address: Address, publicClient: PublicClient, walletClient?: WalletClient) {
  return getContract({ address, abi: verifierCommitteeAbi, client: walletClient ? { public: publicClient, wallet: walletClient } : publicClient });
}
function lensContractOf(address: Address, publicClient: PublicClient) {
  // read-only: the lens holds no state and has nothing to send
  return getContract({ address, abi: poNASLensAbi, client: publicClient });
}
function tokenContractOf(address: Address, publicClient: PublicClient, walletClient?: WalletClient) {
  return getContract({ address, abi: poolTokenAbi, client: walletClient ? { public: publicClient, wallet: walletClient } : publicClient });
}

export interface ConnectOptions {
  rpc: string;
  /** 0x address, or the name of a deployments/<name>.json file. */
  pool: string;
  account?: Account;
  /** Polling interval for watchers, ms (short on a local chain). */
  pollingInterval?: number;
  /** viem's own retries of a failed request (default 5, ~15 s with its doubling delays); a node that retries whole steps itself (ops/retry.ts) may pass fewer. */
  retryCount?: number;
}

export async function connectPool(options: ConnectOptions): Promise<PoolConnection> {
  let url: URL;
  try {
    url = new URL(options.rpc);
  } catch {
    throw new ChainError(`--rpc "${options.rpc}" is not a URL; use e.g. http://127.0.0.1:8545`);
  }
  const transport = http(url.href, { retryCount: options.retryCount ?? 5, retryDelay: 500 });
  const probe = createPublicClient({ transport });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (e) {
    throw new ChainError(explainError(e), { cause: e });
  }
  const chain: Chain = chainId === hardhat.id ? hardhat : { ...hardhat, id: chainId, name: `chain ${chainId}` };
  const publicClient = createPublicClient({ chain, transport, pollingInterval: options.pollingInterval ?? 1000 }) as PublicClient;

  let pool: Address;
  let fromBlock = 0n;
  if (isAddress(options.pool)) {
    pool = options.pool;
  } else {
    let d;
    try {
      d = loadDeployment(options.pool);
    } catch (e) {
      throw new ChainError(`--pool "${options.pool}" is neither an address nor a known deployment: ${(e as Error).message}`, { cause: e });
    }
    if (d.chainId !== chainId) {
      throw new ChainError(
        `wrong network: deployment "${options.pool}" is on chain ${d.chainId}, but ${options.rpc} is chain ${chainId}; point --rpc at chain ${d.chainId}`,
      );
    }
    pool = d.contracts.PoNASPool as Address;
    fromBlock = BigInt(d.deploymentBlock);
  }
  const code = await publicClient.getCode({ address: pool });
  if (!code || code === "0x") throw new ChainError(`no contract at ${pool} on chain ${chainId}; check --pool and --rpc`);

  const walletClient = options.account
    ? createWalletClient({ chain, transport, account: options.account })
    : undefined;
  const poolContract = poolContractOf(pool, publicClient, walletClient);
  let token: Address;
  let committee: Address;
  let lens: Address;
  try {
    token = (await poolContract.read.token()) as Address;
    committee = (await poolContract.read.committee()) as Address;
    lens = (await poolContract.read.lens()) as Address;
    // given by address, the pool itself says where its events start: no scan from block 0
    if (isAddress(options.pool)) fromBlock = await poolContract.read.deploymentBlock();
  } catch (e) {
    throw new ChainError(`${pool} on chain ${chainId} is not a PoNAS pool of this version (${explainError(e)}); check --pool`, { cause: e });
  }
  return {
    rpc: url.href,
    chain,
    publicClient,
    walletClient,
    account: options.account,
    pool,
    committee,
    lens,
    token,
    fromBlock,
    poolContract,
    committeeContract: committeeContractOf(committee, publicClient, walletClient),
    lensContract: lensContractOf(lens, publicClient),
    tokenContract: tokenContractOf(token, publicClient, walletClient),
  };
}
