// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchVerifier} from "./Rollup.sol";

/// The PLONK verifier gnark exports (`zkrollup verifier` for PLONK keys): returns whether a proof
/// verifies, and reverts on malformed input.
interface IPlonkVerifier {
    function Verify(bytes calldata proof, uint256[] calldata public_inputs) external view returns (bool success);
}

/// @title Lets Rollup.sol check PLONK proofs.
/// @notice Rollup.sol calls IBatchVerifier.verifyProof(proof, [oldRoot, newRoot, batchNumber,
/// pubdataHash]), which must revert on a bad proof: the interface of gnark's Groth16 verifier.
/// gnark's PLONK verifier has another one (Verify(bytes, uint256[]) returns bool). This adapter
/// passes the call on and turns `false` into a revert, so one Rollup.sol takes either proof system
/// and its rules stay in one place.
contract PlonkVerifierAdapter is IBatchVerifier {
    IPlonkVerifier public immutable plonk;

    /// verifyProof: the PLONK verifier returned false.
    error PlonkProofRejected();

    constructor(IPlonkVerifier plonk_) {
        plonk = plonk_;
    }

    function verifyProof(bytes calldata proof, uint256[4] calldata input) external view {
        uint256[] memory inputs = new uint256[](4);
        for (uint256 i = 0; i < 4; i++) {
            inputs[i] = input[i];
        }
        if (!plonk.Verify(proof, inputs)) revert PlonkProofRejected();
    }
}
