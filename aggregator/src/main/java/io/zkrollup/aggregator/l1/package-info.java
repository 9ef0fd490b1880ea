/**
 * L1: the node's client for the rollup contract, {@code contracts/src/Rollup.sol}, on any Ethereum
 * JSON-RPC node, through the web3j binding the build generates from the contract's ABI ({@code
 * io.zkrollup.aggregator.l1.contract.Rollup}). The contract is the one definition of the L1
 * rules; nothing here re-implements them. {@code l1.dev} starts a local development chain (anvil)
 * and deploys the contracts on it.
 */
package io.zkrollup.aggregator.l1;
