/**
 * What the node offers the outside, as narrow interfaces: submitting transactions, reading
 * accounts, reading batches and their events, and the node's status. The gRPC layer depends on
 * these, never on the node itself; the node implements them.
 */
package io.zkrollup.aggregator.service;
