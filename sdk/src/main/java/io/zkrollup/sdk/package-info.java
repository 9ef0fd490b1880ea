/**
 * The client SDK of the rollup, for exchanges and wallets: what a program needs to use a node
 * without running one.
 *
 * <ul>
 *   <li>{@link io.zkrollup.sdk.AccountKey} and {@link io.zkrollup.sdk.KeyFile}: account keys (EdDSA
 *       on Baby Jubjub, docs/eddsa.md), their key hash, and the key file {@code zkrollup keygen}
 *       and {@code zkrollup wallet new-key} write;
 *   <li>{@link io.zkrollup.sdk.Wallet}: signs transfers and withdrawals of one account;
 *   <li>{@link io.zkrollup.sdk.RollupClient}: submits one transaction or an atomic list, asks for
 *       transactions, accounts (by index or by key) and the node's status, and follows batch
 *       events, over gRPC with a deadline on every call;
 *   <li>{@link io.zkrollup.sdk.RollupException} and its subclasses: the node's refusals as typed
 *       exceptions, read from the status's {@code google.rpc.ErrorInfo}.
 * </ul>
 *
 * <p>The SDK depends on the generated API ({@code prover-api}), on {@code circuits} (the one
 * definition of the signed message and of EdDSA) and on grpc-java; never on the node, RocksDB,
 * web3j or the native prover library (the build checks it). docs/sdk.md walks through it.
 */
package io.zkrollup.sdk;
