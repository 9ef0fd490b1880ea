// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// The part of Rollup.sol the attacker calls.
interface IClaimable {
    function claim() external;
}

/// @title Test only: a withdrawal owner whose receive() re-enters Rollup.claim().
/// @notice Used by the aggregator's AnvilEndToEndIT to check that claim() pays once. The re-entrant
/// call is wrapped in try/catch so that its revert (NothingToClaim) does not undo the outer claim:
/// if claim() paid before zeroing the balance, the inner call would succeed and pay again.
contract ReentrantClaimer {
    IClaimable public immutable rollup;
    /// How many times ETH arrived.
    uint256 public received;
    /// Whether the re-entrant claim reverted.
    bool public reentryReverted;

    constructor(IClaimable rollup_) {
        rollup = rollup_;
    }

    function attack() external {
        rollup.claim();
    }

    receive() external payable {
        received++;
        if (received == 1) {
            try rollup.claim() {} catch {
                reentryReverted = true;
            }
        }
    }
}
