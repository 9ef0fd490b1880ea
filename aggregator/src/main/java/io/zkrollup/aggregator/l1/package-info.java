/**
 * L1: the rules of the rollup contract (docs/protocol.md, "L1 contract"), in the embedded L1 that
 * needs no Ethereum node.
 */
package io.zkrollup.aggregator.l1;
