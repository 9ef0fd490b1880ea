// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// The parts of Rollup.sol the attacker calls.
interface IClaimable {
    function claim(uint16 token) external;

    function claimFor(uint16 token, address to) external;

    function deposit(bytes32 keyHash, address owner) external payable;

    function exit(uint32 account, bytes32 keyHash, uint16 token, uint128 balance, uint64 nonce, bytes32[] calldata siblings) external;
}

/// @title Test only: an account owner and withdrawal receiver whose receive() re-enters Rollup.sol.
/// @notice On the first ETH it receives it calls claim(ETH), claimFor(ETH, itself) and, after an
/// exit, the same exit() again; each call is wrapped in try/catch so that its revert (NothingToClaim,
/// ReentrancyGuardReentrantCall, AlreadyExited) does not undo the outer payment: if the contract paid before zeroing the balance,
/// or credited an exit twice, the inner call would succeed and pay again. Used by AnvilEndToEndIT
/// (claim) and RollupV2RulesIT (claim, claimFor, exit).
contract ReentrantClaimer {
    IClaimable public immutable rollup;
    /// How many times ETH arrived.
    uint256 public received;
    /// Whether every re-entrant call reverted (false until one was tried).
    bool public reentryReverted;
    /// How many re-entrant calls were tried, and how many of them reverted.
    uint256 public reentries;
    uint256 public reentriesReverted;

    uint32 private exitAccount;
    bytes32 private exitKeyHash;
    uint128 private exitBalance;
    uint64 private exitNonce;
    bytes32[] private exitSiblings;
    bool private exitSaved;

    constructor(IClaimable rollup_) {
        rollup = rollup_;
    }

    /// Claims its own pending ETH withdrawals.
    function attack() external {
        rollup.claim(0);
    }

    /// Has its pending ETH withdrawals paid through claimFor (as anyone may).
    function attackClaimFor() external {
        rollup.claimFor(0, address(this));
    }

    /// Deposits msg.value into the account (keyHash, this contract), so that it may exit it.
    function depositAsOwner(bytes32 keyHash) external payable {
        rollup.deposit{value: msg.value}(keyHash, address(this));
    }

    /// Exits its account (as its owner) and claims; receive() then tries the exit once more.
    function exitAndClaim(uint32 account, bytes32 keyHash, uint128 balance, uint64 nonce, bytes32[] calldata siblings) external {
        exitAccount = account;
        exitKeyHash = keyHash;
        exitBalance = balance;
        exitNonce = nonce;
        exitSiblings = siblings;
        exitSaved = true;
        rollup.exit(account, keyHash, 0, balance, nonce, siblings);
        rollup.claim(0);
    }

    receive() external payable {
        received++;
        if (received != 1) {
            return;
        }
        _try(abi.encodeCall(IClaimable.claim, (0)));
        _try(abi.encodeCall(IClaimable.claimFor, (0, address(this))));
        if (exitSaved) {
            _try(abi.encodeCall(IClaimable.exit, (exitAccount, exitKeyHash, 0, exitBalance, exitNonce, exitSiblings)));
        }
        reentryReverted = reentriesReverted == reentries;
    }

    function _try(bytes memory call) private {
        reentries++;
        (bool ok, ) = address(rollup).call(call);
        if (!ok) {
            reentriesReverted++;
        }
    }
}
