// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchVerifier} from "./Rollup.sol";

/// @title TEST ONLY: a "verifier" that accepts every proof. Never deploy it with a real rollup.
/// @notice RollupV2RulesIT deploys Rollup.sol with it to test the rules that do not depend on the
/// proof (the walk over priority ops, the queue, exodus, exits, refunds, claims) with public data
/// built in the test, before the v2 circuit exists. Tests about proofs use the exported verifier.
contract AcceptAnyProofVerifier is IBatchVerifier {
    function verifyProof(bytes calldata, uint256[4] calldata) external pure {}
}
