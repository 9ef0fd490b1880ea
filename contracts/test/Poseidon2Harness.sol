// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Poseidon2} from "./Poseidon2.sol";

/// @title Test only: Poseidon2.sol's functions as external calls.
/// @notice Poseidon2SolidityIT checks them against native/testdata/poseidon2_vectors.txt (permute,
/// compress, and the Merkle–Damgård hash folded from compress) and measures the gas of one
/// compression.
contract Poseidon2Harness {
    function permute(uint256 s0, uint256 s1) external pure returns (uint256, uint256) {
        return Poseidon2.permute(s0, s1);
    }

    function compress(uint256 left, uint256 right) external pure returns (uint256) {
        return Poseidon2.compress(left, right);
    }

    /// gnark-crypto's Merkle–Damgård hash: state 0, state = compress(state, e) for each element.
    function hash(uint256[] calldata elements) external pure returns (uint256 state) {
        for (uint256 i; i < elements.length; i++) {
            state = Poseidon2.compress(state, elements[i]);
        }
    }

    /// The root a Merkle path leads to, as the state tree (Java, the circuit) and Rollup.exit build
    /// it: `siblings` bottom-up, bit `level` of `index` says whether the path is the right child.
    function merkleRoot(uint256 leaf, uint256 index, uint256[] calldata siblings) external pure returns (uint256 node) {
        node = leaf;
        for (uint256 level; level < siblings.length; level++) {
            node = (index >> level) & 1 == 0 ? Poseidon2.compress(node, siblings[level]) : Poseidon2.compress(siblings[level], node);
        }
    }

    /// `n` chained compressions (x = compress(x, right)), the shape of a Merkle path: the gas of
    /// n + 1 less that of 1, over n, is the gas of one compression in a loop.
    function chain(uint256 x, uint256 right, uint256 n) external view returns (uint256, uint256 gasUsed) {
        uint256 before = gasleft();
        for (uint256 i; i < n; i++) {
            x = Poseidon2.compress(x, right);
        }
        gasUsed = before - gasleft();
        return (x, gasUsed);
    }
}
