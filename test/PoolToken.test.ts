// PoolToken: fixed supply minted once to the holder, no zero holder, and a working EIP-2612
// permit (miners and verifiers stake with permit instead of a separate approve transaction).
import { expect } from "chai";
import { ethers, networkHelpers } from "./helpers/pool.js";

const SUPPLY = 1_000_000n * 10n ** 18n;

async function deployToken() {
  const [holder, spender, other] = await ethers.getSigners();
  const token = await ethers.deployContract("PoolToken", ["PoNAS Pool Token", "PONAS", holder.address, SUPPLY]);
  return { token, holder, spender, other };
}

describe("PoolToken", () => {
  it("mints the whole supply to the holder and nothing else", async () => {
    const { token, holder, other } = await networkHelpers.loadFixture(deployToken);
    expect(await token.totalSupply()).to.equal(SUPPLY);
    expect(await token.balanceOf(holder.address)).to.equal(SUPPLY);
    expect(await token.balanceOf(other.address)).to.equal(0n);
    expect(await token.name()).to.equal("PoNAS Pool Token");
    expect(await token.symbol()).to.equal("PONAS");
    expect(await token.decimals()).to.equal(18n);
  });

  it("reverts PoolTokenZeroHolder when the holder is the zero address", async () => {
    const factory = await ethers.getContractFactory("PoolToken");
    await expect(
      ethers.deployContract("PoolToken", ["PoNAS Pool Token", "PONAS", ethers.ZeroAddress, SUPPLY]),
    ).to.be.revertedWithCustomError(factory, "PoolTokenZeroHolder");
  });

  it("accepts a signed permit and rejects it once its nonce is spent", async () => {
    const { token, holder, spender } = await networkHelpers.loadFixture(deployToken);
    const value = 5n * 10n ** 18n;
    const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
    const { chainId } = await ethers.provider.getNetwork();
    const domain = {
      name: "PoNAS Pool Token",
      version: "1",
      chainId,
      verifyingContract: await token.getAddress(),
    };
    const types = {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    };
    const message = { owner: holder.address, spender: spender.address, value, nonce: 0n, deadline };
    const sig = ethers.Signature.from(await holder.signTypedData(domain, types, message));

    await expect(token.connect(spender).permit(holder.address, spender.address, value, deadline, sig.v, sig.r, sig.s))
      .to.emit(token, "Approval")
      .withArgs(holder.address, spender.address, value);
    expect(await token.allowance(holder.address, spender.address)).to.equal(value);
    expect(await token.nonces(holder.address)).to.equal(1n);

    // replaying the same signature recovers a different signer (nonce is now 1)
    await expect(
      token.connect(spender).permit(holder.address, spender.address, value, deadline, sig.v, sig.r, sig.s),
    ).to.be.revertedWithCustomError(token, "ERC2612InvalidSigner");
  });
});
