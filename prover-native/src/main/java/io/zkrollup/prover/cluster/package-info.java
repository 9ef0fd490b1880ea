/**
 * What the node's coordinator and the prover workers both need to speak the ProverCoordinator
 * protocol: circuit identities and the conversions between its messages and our values.
 */
package io.zkrollup.prover.cluster;
