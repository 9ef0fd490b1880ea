package io.zkrollup.circuits.batch;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.eddsa.EdDsaSignature;
import io.zkrollup.statetree.field.Fr;

/**
 * The signature unsigned slots (no-ops, deposits) carry (docs/protocol.md, "Batch witness"): the key
 * derived from a seed of 32 zero bytes, signing message 0. The circuit verifies a signature in
 * every slot because gnark's verifier cannot be switched off; this one authorises nothing.
 */
public final class DummySignature {

  /** The message the dummy key signs: 0. */
  public static final Fr MESSAGE = Fr.ZERO;

  private static final EdDsaPrivateKey KEY = EdDsaPrivateKey.fromSeed(new byte[EdDsaPrivateKey.SEED_BYTES]);

  /** The dummy public key. */
  public static final EdDsaPublicKey PUBLIC_KEY = KEY.publicKey();

  /** The dummy key's signature of message 0 (signing is deterministic). */
  public static final EdDsaSignature SIGNATURE = KEY.sign(MESSAGE);

  private DummySignature() {}
}
