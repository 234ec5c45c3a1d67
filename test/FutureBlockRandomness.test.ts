// FutureBlockRandomness: the value comes from the hash of a block that did not exist when it was
// requested, is fixed once and never re-rolled, belongs to the consumer that asked, and a target
// that aged out of `blockhash` is moved to a block that does not exist yet.
import { expect } from "chai";
import { connection, ethers, networkHelpers } from "./helpers/pool.js";

describe("FutureBlockRandomness", () => {
  async function deploy() {
    const [a, b] = await ethers.getSigners();
    const source = await ethers.deployContract("FutureBlockRandomness", [2n]);
    return { source, a, b };
  }
  const coder = ethers.AbiCoder.defaultAbiCoder();
  const expected = (blockHash: string, consumer: string, key: bigint) => ethers.keccak256(coder.encode(["bytes32", "address", "uint256"], [blockHash, consumer, key]));

  it("targets a block that does not exist when the request is mined, and is pending until it does", async () => {
    const { source, a } = await networkHelpers.loadFixture(deploy);
    const rc = await (await source.connect(a).request(7n)).wait();
    const target = await source.targetOf(a.address, 7n);
    expect(target).to.equal(BigInt(rc!.blockNumber) + 2n);
    expect(await source.requested(a.address, 7n)).to.equal(true);
    expect(await source.randomnessOf(a.address, 7n)).to.equal(ethers.ZeroHash);
    // in the block after the request, the target is still in the future: nothing can be fixed
    expect(await source.fulfill.staticCall(a.address, 7n)).to.equal(ethers.ZeroHash);
    await networkHelpers.mine(3); // eth_call runs in the context of the latest block: it must be past the target
    const value = await source.fulfill.staticCall(a.address, 7n);
    const targetBlock = await ethers.provider.getBlock(Number(target));
    expect(value).to.equal(expected(targetBlock!.hash!, a.address, 7n));
    await expect(source.fulfill(a.address, 7n)).to.emit(source, "RandomnessFulfilled").withArgs(a.address, 7n, value);
    expect(await source.randomnessOf(a.address, 7n)).to.equal(value);
  });

  it("never re-rolls: a second request reverts and a fixed value stays what it was", async () => {
    const { source, a } = await networkHelpers.loadFixture(deploy);
    await source.connect(a).request(1n);
    await networkHelpers.mine(3);
    await source.fulfill(a.address, 1n);
    const v = await source.randomnessOf(a.address, 1n);
    await expect(source.connect(a).request(1n)).to.be.revertedWithCustomError(source, "FutureBlockRandomnessAlreadyRequested").withArgs(a.address, 1n);
    await networkHelpers.mine(300);
    await source.fulfill(a.address, 1n);
    expect(await source.randomnessOf(a.address, 1n)).to.equal(v);
  });

  it("keeps consumers apart: the same key of another consumer is another request and another value", async () => {
    const { source, a, b } = await networkHelpers.loadFixture(deploy);
    await source.connect(a).request(5n);
    expect(await source.requested(b.address, 5n)).to.equal(false);
    await expect(source.fulfill(b.address, 5n)).to.be.revertedWithCustomError(source, "FutureBlockRandomnessNotRequested").withArgs(b.address, 5n);
    await source.connect(b).request(5n);
    await networkHelpers.mine(3);
    await source.fulfill(a.address, 5n);
    await source.fulfill(b.address, 5n);
    expect(await source.randomnessOf(a.address, 5n)).to.not.equal(await source.randomnessOf(b.address, 5n));
  });

  it("moves a target older than 256 blocks to a block that does not exist yet, then fulfils from it", async () => {
    const { source, a } = await networkHelpers.loadFixture(deploy);
    await source.connect(a).request(9n);
    await networkHelpers.mine(300);
    const tx = await source.fulfill(a.address, 9n);
    const rc = await tx.wait();
    const next = BigInt(rc!.blockNumber) + 2n;
    await expect(tx).to.emit(source, "RandomnessRetargeted").withArgs(a.address, 9n, next);
    expect(await source.randomnessOf(a.address, 9n)).to.equal(ethers.ZeroHash);
    expect(await source.targetOf(a.address, 9n)).to.equal(next);
    await networkHelpers.mine(2);
    await source.fulfill(a.address, 9n);
    const block = await ethers.provider.getBlock(Number(next));
    expect(await source.randomnessOf(a.address, 9n)).to.equal(expected(block!.hash!, a.address, 9n));
  });

  it("whoever picks the request block cannot pick the value: the values of consecutive request blocks are unrelated to anything known at request time", async () => {
    // An attacker that may send `request` in any of 64 consecutive blocks learns, before sending,
    // only what exists then (the parent hash, prevrandao). The value of each candidate block
    // depends on a block two ahead, so its low bit — "is my false claim drawn" at sampleBps 5000 —
    // is not predictable from the request block's own hash: agreement stays near 50%.
    const { source, a } = await networkHelpers.loadFixture(deploy);
    let agree = 0;
    const n = 64;
    for (let k = 0; k < n; k++) {
      const rc = await (await source.connect(a).request(BigInt(100 + k))).wait();
      const known = (await ethers.provider.getBlock(rc!.blockNumber - 1))!.hash!; // what the sender knew
      await networkHelpers.mine(2);
      await source.fulfill(a.address, BigInt(100 + k));
      const v = await source.randomnessOf(a.address, BigInt(100 + k));
      if ((BigInt(v) & 1n) === (BigInt(known) & 1n)) agree++;
    }
    expect(agree).to.be.within(16, 48); // a predictor would sit at 0 or 64; chance is 32 ± 4
  });

  it("names itself so deployment can refuse it where one party builds every block", async () => {
    const { source } = await networkHelpers.loadFixture(deploy);
    expect(await source.kind()).to.equal("future-blockhash");
    await expect(ethers.deployContract("FutureBlockRandomness", [0n])).to.be.revertedWithCustomError(source, "FutureBlockRandomnessZeroDelay");
  });
});

void connection;
