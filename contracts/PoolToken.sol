// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title PoolToken
/// @notice The PoNAS pool's ERC20 (with EIP-2612 permit) for rewards and for miner and
/// verifier stakes. The whole supply is minted once, to `holder`: no later minting, so token
/// holders can audit the supply as well as the payouts.
contract PoolToken is ERC20, ERC20Permit {
    error PoolTokenZeroHolder();

    /// @param name_ token name, also the EIP-712 domain name for permit.
    /// @param symbol_ token symbol.
    /// @param holder receives the whole supply.
    /// @param supply total supply, in the smallest unit (18 decimals).
    constructor(string memory name_, string memory symbol_, address holder, uint256 supply)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
    {
        if (holder == address(0)) revert PoolTokenZeroHolder();
        _mint(holder, supply);
    }
}
