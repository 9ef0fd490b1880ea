// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

// TEST ONLY: ERC-20 tokens for TokenRulesIT, one well-behaved and five that misbehave in the ways
// docs/protocol.md ("Rollup.sol (v3)") says must hurt only their own holders. Anyone may mint any of
// them and flip their switches; never list them on a real rollup.

/// The parts of Rollup.sol a re-entering token calls.
interface IRollupTokens {
    function depositToken(uint16 token, uint128 amount, bytes32 keyHash, address owner) external;

    function claim(uint16 token) external;

    function claimFor(uint16 token, address to) external;

    function tokenId(address token) external view returns (uint16);
}

/// @title A well-behaved ERC-20 (OpenZeppelin's), mintable by anyone.
contract TestToken is ERC20 {
    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {}

    /// Mints `value` to `to`.
    function mint(address to, uint256 value) external {
        _mint(to, value);
    }
}

/// @title Takes 1 % of every transfer (burnt), so the receiver gets 99 %: a deposit of 100 must
/// credit L2 with 99, what the rollup received.
contract FeeOnTransferToken is TestToken {
    constructor() TestToken("Fee on transfer", "FEE") {}

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value / 100;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}

/// @title Returns false from transfer and transferFrom, moving nothing, while `failing` is set
/// (tokens like that exist: SafeERC20 must treat false as failure).
contract FalseReturningToken is TestToken {
    bool public failing;

    constructor() TestToken("False returning", "FALSE") {}

    function setFailing(bool failing_) external {
        failing = failing_;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        return failing ? false : super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        return failing ? false : super.transferFrom(from, to, value);
    }
}

/// @title Reverts every transfer from or to a blocked address (like USDC's blocklist), so that a
/// deposit from, or a claim to, one user reverts while every other user's go through.
contract BlocklistToken is TestToken {
    mapping(address => bool) public blocked;

    error Blocked(address account);

    constructor() TestToken("Blocklist", "BLOCK") {}

    function setBlocked(address account, bool blocked_) external {
        blocked[account] = blocked_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (blocked[from]) revert Blocked(from);
        if (blocked[to]) revert Blocked(to);
        super._update(from, to, value);
    }
}

/// @title Calls back into Rollup.sol from transferFrom (the deposit path) and transfer (the claim
/// path), after moving the tokens: from transferFrom it deposits more of itself (which, if counted
/// in the outer deposit's balance difference, would credit L2 twice), claims and claims for the
/// depositor; from transfer it claims for the receiver again and claims for itself. Each re-entrant
/// call is made with a low-level call and recorded; with `bubble` a failed one reverts the outer
/// transfer with the same data, otherwise the outer transfer goes on.
contract ReentrantToken is TestToken {
    address public rollup;
    bool public onTransferFrom;
    bool public onTransfer;
    bool public bubble;
    bytes32 public keyHash;
    /// Re-entrant calls tried, and how many reverted; the selector of the last revert.
    uint256 public reentries;
    uint256 public reentriesReverted;
    bytes4 public lastError;
    bool private inside;

    constructor() TestToken("Re-entrant", "REENTER") {}

    /// Arms the callbacks against `rollup_`: re-enter from transferFrom and/or transfer; `bubble_`:
    /// a failed re-entrant call reverts the outer transfer.
    function arm(address rollup_, bool onTransferFrom_, bool onTransfer_, bool bubble_, bytes32 keyHash_) external {
        rollup = rollup_;
        onTransferFrom = onTransferFrom_;
        onTransfer = onTransfer_;
        bubble = bubble_;
        keyHash = keyHash_;
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        bool ok = super.transferFrom(from, to, value);
        if (onTransferFrom && msg.sender == rollup && !inside) {
            inside = true;
            uint16 id = IRollupTokens(rollup).tokenId(address(this));
            // Funds of its own for a nested deposit of the same token.
            _mint(address(this), value);
            _approve(address(this), rollup, value);
            _reenter(abi.encodeCall(IRollupTokens.depositToken, (id, uint128(value), keyHash, address(this))));
            _reenter(abi.encodeCall(IRollupTokens.claim, (id)));
            _reenter(abi.encodeCall(IRollupTokens.claimFor, (id, from)));
            inside = false;
        }
        return ok;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        bool ok = super.transfer(to, value);
        if (onTransfer && msg.sender == rollup && !inside) {
            inside = true;
            uint16 id = IRollupTokens(rollup).tokenId(address(this));
            _reenter(abi.encodeCall(IRollupTokens.claimFor, (id, to)));
            _reenter(abi.encodeCall(IRollupTokens.claim, (id)));
            _reenter(abi.encodeCall(IRollupTokens.claim, (uint16(0))));
            inside = false;
        }
        return ok;
    }

    function _reenter(bytes memory call) private {
        reentries++;
        (bool ok, bytes memory data) = rollup.call(call);
        if (ok) {
            return;
        }
        reentriesReverted++;
        lastError = bytes4(data);
        if (bubble) {
            assembly {
                revert(add(data, 32), mload(data))
            }
        }
    }
}

/// @title Balances change on their own: every balance is a share of the supply times `factor`
/// (1e18 at first), which anyone may change (a rebase). Rollup.sol does not support such tokens:
/// after a rebase down its holders' claims may fail; nobody else's may.
contract RebasingToken is TestToken {
    uint256 public factor = 1e18;

    constructor() TestToken("Rebasing", "REBASE") {}

    /// Every balance becomes shares × factor_ / 1e18.
    function rebase(uint256 factor_) external {
        factor = factor_;
    }

    function balanceOf(address account) public view override returns (uint256) {
        return (super.balanceOf(account) * factor) / 1e18;
    }

    function totalSupply() public view override returns (uint256) {
        return (super.totalSupply() * factor) / 1e18;
    }

    /// Moves the shares worth `value` now.
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, (value * 1e18) / factor);
    }
}
