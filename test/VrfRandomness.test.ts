// VrfRandomness against a mock of Chainlink's VRF v2.5 coordinator: one request per (consumer,
// key) with the deployment's lane, subscription, confirmations and callback gas; the callback is
// O(1), takes only the coordinator's answer to the request it made, and never reverts for the
// coordinator (unknown or repeated ids are ignored), so a posted proof can never fail to land.
import { expect } from "chai";
import { connection, ethers, networkHelpers } from "./helpers/pool.js";

describe("VrfRandomness (Chainlink VRF v2.5 adapter)", () => {
  const KEY_HASH = ethers.keccak256(ethers.toUtf8Bytes("lane"));
  const CALLBACK_GAS = 100_000n;
  async function deploy() {
    const [a, b, outsider] = await ethers.getSigners();
    const coordinator = await ethers.deployContract("MockVrfCoordinator");
    const source = await ethers.deployContract("VrfRandomness", [await coordinator.getAddress(), KEY_HASH, 42n, 3, CALLBACK_GAS, true]);
    return { coordinator, source, a, b, outsider };
  }
  const coder = ethers.AbiCoder.defaultAbiCoder();
  const expected = (word: bigint, consumer: string, key: bigint) => ethers.keccak256(coder.encode(["uint256", "address", "uint256"], [word, consumer, key]));

  it("requests one word on the deployment's lane and subscription, with the V1 extra args", async () => {
    const { coordinator, source, a } = await networkHelpers.loadFixture(deploy);
    await expect(source.connect(a).request(3n)).to.emit(source, "RandomnessRequested").withArgs(a.address, 3n, 1n);
    const req = await coordinator.requestOf(1n);
    expect([req.keyHash, req.subId, req.requestConfirmations, req.callbackGasLimit, req.numWords]).to.deep.equal([KEY_HASH, 42n, 3n, CALLBACK_GAS, 1n]);
    const tag = ethers.dataSlice(ethers.keccak256(ethers.toUtf8Bytes("VRF ExtraArgsV1")), 0, 4);
    expect(req.extraArgs).to.equal(ethers.concat([tag, coder.encode(["bool"], [true])]));
    expect(await source.requestIdOf(a.address, 3n)).to.equal(1n);
    expect([await source.requested(a.address, 3n), await source.requested(a.address, 4n)]).to.deep.equal([true, false]);
    expect(await source.randomnessOf(a.address, 3n)).to.equal(ethers.ZeroHash);
    expect(await source.fulfill(a.address, 3n)).to.equal(ethers.ZeroHash); // pending: read only
  });

  it("stores the coordinator's answer once; a repeated or unknown answer changes nothing and does not revert", async () => {
    const { coordinator, source, a } = await networkHelpers.loadFixture(deploy);
    await source.connect(a).request(3n);
    await expect(coordinator.fulfill(1n, [777n])).to.emit(source, "RandomnessFulfilled").withArgs(a.address, 3n, expected(777n, a.address, 3n));
    expect(await source.randomnessOf(a.address, 3n)).to.equal(expected(777n, a.address, 3n));
    // a second answer to the same id: ignored, and the callback still succeeds
    await expect(coordinator.fulfill(1n, [888n])).to.emit(coordinator, "RandomWordsFulfilled").withArgs(1n, true, (g: bigint) => g > 0n);
    expect(await source.randomnessOf(a.address, 3n)).to.equal(expected(777n, a.address, 3n));
    // an id the source never requested, and an empty answer: ignored without reverting
    expect(await coordinator.fulfillUnknown.staticCall(await source.getAddress(), 99n, [5n])).to.equal(true);
    await source.connect(a).request(4n);
    expect(await coordinator.fulfill.staticCall(2n, [])).to.equal(true);
  });

  it("refuses a re-request (no re-roll) and answers from anyone but the coordinator", async () => {
    const { source, a, outsider } = await networkHelpers.loadFixture(deploy);
    await source.connect(a).request(3n);
    await expect(source.connect(a).request(3n)).to.be.revertedWithCustomError(source, "VrfRandomnessAlreadyRequested").withArgs(a.address, 3n);
    await expect(source.connect(outsider).rawFulfillRandomWords(1n, [1n]))
      .to.be.revertedWithCustomError(source, "VrfRandomnessOnlyCoordinator")
      .withArgs(outsider.address, await source.coordinator());
    await expect(source.fulfill(outsider.address, 3n)).to.be.revertedWithCustomError(source, "VrfRandomnessNotRequested");
  });

  it("keeps consumers apart and fulfils in constant gas, well inside the callback gas limit", async () => {
    const { coordinator, source, a, b } = await networkHelpers.loadFixture(deploy);
    await source.connect(a).request(1n);
    await source.connect(b).request(1n);
    const gas: bigint[] = [];
    for (const id of [1n, 2n]) {
      const rc = await (await coordinator.fulfill(id, [123n])).wait();
      const ev = rc!.logs.map((l) => coordinator.interface.parseLog(l)).find((e) => e?.name === "RandomWordsFulfilled")!;
      expect(ev.args.success).to.equal(true);
      gas.push(ev.args.gasUsed);
    }
    expect(await source.randomnessOf(a.address, 1n)).to.not.equal(await source.randomnessOf(b.address, 1n));
    expect(gas[0]).to.be.below(CALLBACK_GAS / 2n);
    expect(gas[1]).to.be.within(gas[0] - 2_000n, gas[0] + 2_000n);
    expect(await source.kind()).to.equal("chainlink-vrf-v2.5");
  });
});

void connection;
