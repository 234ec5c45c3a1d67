// The one line the app says when Connect finds no injected wallet (window.ethereum): wagmi's own
// error ("Provider not found. Version: @wagmi/core@…") names only its version. A module of its
// own, with no imports, so the e2e test can compare against the same words.
export const NO_WALLET = "No browser wallet found: install a wallet extension such as MetaMask or Rabby and reload, or mine from the command line with npm run miner.";
