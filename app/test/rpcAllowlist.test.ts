// The /api/rpc proxy's screen (app/src/lib/rpcAllowlist.ts): read calls pass, anything that signs,
// sends or reconfigures the node is refused with an error naming the method, in batches too, and
// oversized or malformed bodies are refused before anything is forwarded.
import { expect } from "chai";
import { MAX_BATCH, MAX_BODY_BYTES, METHOD_REFUSED, READ_METHODS, screenRpc } from "../src/lib/rpcAllowlist.js";

const call = (method: string, id: number = 1) => ({ jsonrpc: "2.0", id, method, params: [] });

describe("/api/rpc allowlist (screenRpc)", () => {
  it("forwards a read call unchanged", () => {
    const c = call("eth_blockNumber", 7);
    const s = screenRpc(JSON.stringify(c));
    expect(s.forward).to.deep.equal(c);
    expect(s.refused).to.deep.equal([]);
  });

  it("refuses every method that signs, sends, lists accounts or changes the node, naming it", () => {
    for (const m of ["eth_sendTransaction", "eth_sendRawTransaction", "eth_accounts", "eth_sign", "eth_signTypedData_v4", "personal_sign", "personal_unlockAccount", "hardhat_setBalance", "hardhat_impersonateAccount", "evm_increaseTime", "evm_mine", "debug_traceTransaction", "eth_newFilter"]) {
      const s = screenRpc(JSON.stringify(call(m, 3)));
      expect(s.forward, m).to.equal(undefined);
      expect(s.refused, m).to.have.length(1);
      expect(s.refused[0].id).to.equal(3);
      expect(s.refused[0].error.code).to.equal(METHOD_REFUSED);
      expect(s.refused[0].error.message).to.contain(`method ${m} is refused`).and.contain("read methods");
    }
  });

  it("the allowlist holds no write or account method", () => {
    for (const m of READ_METHODS) expect(m, m).to.not.match(/send|sign|accounts|personal|hardhat|evm_|debug|unlock|import|miner/i);
  });

  it("a batch forwards only its read members and refuses the rest, each with its id", () => {
    const s = screenRpc(JSON.stringify([call("eth_blockNumber", 1), call("eth_sendTransaction", 2), call("eth_accounts", 3), call("eth_chainId", 4)]));
    expect(s.batch).to.equal(true);
    expect(s.forward).to.deep.equal([call("eth_blockNumber", 1), call("eth_chainId", 4)]);
    expect(s.refused.map((e) => e.id)).to.deep.equal([2, 3]);
    expect(s.refused[0].error.message).to.contain("eth_sendTransaction");
    expect(s.refused[1].error.message).to.contain("eth_accounts");
  });

  it("a batch of refused calls forwards nothing", () => {
    const s = screenRpc(JSON.stringify([call("eth_sendTransaction", 1), call("eth_accounts", 2)]));
    expect(s.forward).to.equal(undefined);
    expect(s.refused).to.have.length(2);
  });

  it("refuses bodies too large, not JSON, empty batches, oversized batches and calls without a method", () => {
    expect(screenRpc("x".repeat(MAX_BODY_BYTES + 1)).status).to.equal(413);
    expect(screenRpc("{not json").refused[0].error.code).to.equal(-32700);
    expect(screenRpc("[]").refused[0].error.message).to.match(/empty JSON-RPC batch/);
    const big = screenRpc(JSON.stringify(Array.from({ length: MAX_BATCH + 1 }, (_, i) => call("eth_chainId", i))));
    expect(big.forward).to.equal(undefined);
    expect(big.refused[0].error.message).to.match(/split it/);
    const noMethod = screenRpc(JSON.stringify({ jsonrpc: "2.0", id: 1 }));
    expect(noMethod.forward).to.equal(undefined);
    expect(noMethod.refused[0].error.code).to.equal(-32600);
    expect(screenRpc(JSON.stringify([1, call("eth_chainId")])).refused[0].error.message).to.match(/must be an object/);
  });
});
