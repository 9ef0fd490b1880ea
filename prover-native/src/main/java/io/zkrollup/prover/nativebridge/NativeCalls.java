package io.zkrollup.prover.nativebridge;

/**
 * The JNI entry points of libzkprover, one per function of jni_shim.c. Each throws {@link
 * NativeProverException} on failure. Callers go through {@link LibZkProver}, which guarantees the
 * library is loaded first. {@code verify}, {@code exportSolidity}, {@code solidityProof} and {@code
 * proverInfo} take a prover or a verifier handle. (The test hooks of the fault-injection build are
 * declared by a test class, not here: the production library does not have them.)
 */
final class NativeCalls {
  private NativeCalls() {}

  static native byte[] versions();

  static native byte[] poseidon2Permute(byte[] state);

  static native byte[] poseidon2Compress(byte[] left, byte[] right);

  static native byte[] poseidon2Hash(byte[] elements);

  static native int addAltStackToSignalHandlers();

  static native long hasherCreate();

  static native void hasherWrite(long handle, byte[] elements);

  static native byte[] hasherDigest(long handle);

  static native void release(long handle);

  static native long liveHandles();

  static native byte[] smtRoot(int depth, byte[] leaves);

  static native byte[] eddsaPublicKey(byte[] seed);

  static native byte[] eddsaSign(byte[] seed, byte[] message);

  static native boolean eddsaVerify(byte[] publicKey, byte[] signature, byte[] message);

  static native byte[] circuitInfo(int b, int d, int backend, int mode);

  static native byte[] circuitSetup(int b, int d, int backend, int mode, byte[] keyDir);

  static native long proverLoad(byte[] keyDir);

  static native long verifierLoad(byte[] keyDir);

  static native byte[] prove(long handle, byte[] witness);

  static native boolean verify(long handle, byte[] proof, byte[] publicInputs);

  static native byte[] exportSolidity(long handle);

  static native byte[] solidityProof(long handle, byte[] proof);

  static native byte[] proverInfo(long handle);

  static native byte[] proverUseGpu(long handle);

  static native byte[] ceremonyInit(int b, int d, int mode, byte[] dir);

  static native byte[] ceremonyContribute(byte[] dir, byte[] name);

  static native byte[] ceremonySealPhase1(byte[] dir, byte[] beacon);

  static native byte[] ceremonyFinalize(byte[] dir, byte[] beacon, byte[] keyDir);

  static native byte[] ceremonyVerify(byte[] dir, byte[] keyDir, byte[] beacon1, byte[] beacon2);
}
