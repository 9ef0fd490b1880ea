package io.zkrollup.benchmarks;

/**
 * Fixed benchmark inputs shared with the Go benchmarks (native/hashing/poseidon2_bench_test.go), so
 * both sides hash exactly the same values.
 */
final class BenchInputs {
  private BenchInputs() {}

  static final String LEFT = "0x26b918223107d2607f095f090a43b60d358d730aaf0b0a585d19477cccc9536e";
  static final String RIGHT = "0x148ea1af02e7e89187229d91ea04098ed533e655bfd81dde0de793189b10bb77";

  /** An account leaf's shape: public key x, public key y, balance, nonce. */
  static final String[] HASH_INPUT = {
    "0x16e4fdf1e3c1c89c3c67a975d58c53bb058a97d11673346eaab59b35fda85a13",
    "0x257f9db1efbe7ee454ba6bc0dfa4e01765467e0c59b4df764d5d1124ba43351a",
    "0x00000000000000000000000000000000000000000000003635c9adc5dea00000",
    "0x0000000000000000000000000000000000000000000000000000000000000007",
  };
}
