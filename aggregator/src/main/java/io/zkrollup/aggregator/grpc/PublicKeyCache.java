package io.zkrollup.aggregator.grpc;

import com.google.protobuf.ByteString;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded public keys by their bytes. Decoding a key costs a square root and a subgroup check
 * (≈ 36 µs), about a fifth of accepting a transfer; an account signs with the same key every
 * time. Bounded: when full it starts over, which only costs decoding again.
 */
final class PublicKeyCache {

  private final int capacity;
  private final ConcurrentHashMap<ByteString, EdDsaPublicKey> keys = new ConcurrentHashMap<>();

  PublicKeyCache(int capacity) {
    this.capacity = capacity;
  }

  /**
   * The key encoded by {@code bytes}.
   *
   * @throws IllegalArgumentException if the bytes are not a valid public key (nothing is cached)
   */
  EdDsaPublicKey decode(ByteString bytes) {
    EdDsaPublicKey key = keys.get(bytes);
    if (key == null) {
      key = EdDsaPublicKey.fromBytes(bytes.toByteArray());
      if (keys.size() >= capacity) {
        keys.clear();
      }
      keys.put(bytes, key);
    }
    return key;
  }
}
