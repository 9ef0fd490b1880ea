package io.zkrollup.sdk;

import io.zkrollup.statetree.hash.Poseidon2;

/** The one Poseidon2 instance of the SDK: immutable and thread-safe, and costly enough to build once. */
final class Hashing {

  /** Poseidon2 with the protocol's parameters (docs/protocol.md). */
  static final Poseidon2 POSEIDON2 = new Poseidon2();

  private Hashing() {}
}
