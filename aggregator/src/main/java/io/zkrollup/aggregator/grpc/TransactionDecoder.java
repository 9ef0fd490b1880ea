package io.zkrollup.aggregator.grpc;

import com.google.protobuf.ByteString;
import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.Rejection;
import io.zkrollup.aggregator.ledger.RejectedException;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.eddsa.EdDsaSignature;
import io.zkrollup.circuits.tx.Float16;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.Ranges;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.Withdrawal;
import java.math.BigInteger;

/**
 * Turns a {@link SignedTransaction} message into a {@link SignedOp}, refusing anything malformed
 * or out of range with a {@link Rejection} that names the field, and a withdrawal to the zero
 * address ({@link RejectReason#ZERO_L1_ADDRESS}): the rules a transaction's fields must pass on
 * their own, before any account is read. Decoding the key and the
 * signature's R checks that both are points of the prime-order subgroup.
 */
public final class TransactionDecoder {

  private final PublicKeyCache keys;

  private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

  /**
   * The most digits of an amount: 2^128 − 1 has 39. Amounts are canonical decimals (no leading
   * zeros), so a longer one is too large without being parsed, and no field of a transaction the
   * node reads is longer than this: the message limit that fits a full list relies on it ({@code
   * NodeServer.BYTES_PER_TRANSACTION}).
   */
  public static final int MAX_AMOUNT_DIGITS = TWO_128.subtract(BigInteger.ONE).toString().length();

  private static final BigInteger TWO_112 = BigInteger.ONE.shiftLeft(Ranges.WITHDRAWAL_BITS);

  private static final ByteString ZERO_ADDRESS = ByteString.copyFrom(new byte[L1Address.BYTES]);

  /** A decoder remembering up to {@code keyCacheSize} decoded public keys. */
  public TransactionDecoder(int keyCacheSize) {
    this.keys = new PublicKeyCache(keyCacheSize);
  }

  /**
   * Decodes {@code tx}, the {@code index}-th of its request.
   *
   * @throws RejectedException with {@link RejectReason#MALFORMED}, {@link
   *     RejectReason#AMOUNT_OVERFLOW} or {@link RejectReason#ZERO_L1_ADDRESS}
   */
  public SignedOp decode(SignedTransaction tx, int index) {
    SignableOp op =
        switch (tx.getOpCase()) {
          case TRANSFER -> {
            io.zkrollup.api.v1.Transfer t = tx.getTransfer();
            yield new Transfer(
                Integer.toUnsignedLong(t.getFrom()),
                Integer.toUnsignedLong(t.getTo()),
                float16(index, "amount", t.getAmount()),
                float16(index, "max_fee", t.getMaxFee()),
                nonce(index, t.getNonce()),
                token(index, t.getToken()));
          }
          case WITHDRAWAL -> {
            io.zkrollup.api.v1.Withdrawal w = tx.getWithdrawal();
            if (w.getL1Address().size() != L1Address.BYTES) {
              throw malformed(index, "l1_address must be " + L1Address.BYTES + " bytes, got " + w.getL1Address().size());
            }
            if (w.getL1Address().equals(ZERO_ADDRESS)) {
              // The circuit and L1 would take it; L1 would then credit an address nobody can claim for.
              throw new RejectedException(
                  new Rejection(RejectReason.ZERO_L1_ADDRESS, index, "l1_address is the zero address: nobody could ever claim the withdrawal on L1"));
            }
            yield new Withdrawal(
                Integer.toUnsignedLong(w.getFrom()),
                L1Address.of(w.getL1Address().toByteArray()),
                withdrawalAmount(index, w.getAmount()),
                float16(index, "max_fee", w.getMaxFee()),
                nonce(index, w.getNonce()),
                token(index, w.getToken()));
          }
          case OP_NOT_SET -> throw malformed(index, "the transaction has neither a transfer nor a withdrawal");
        };
    if (tx.getPublicKey().size() != EdDsaPublicKey.BYTES) {
      throw malformed(index, "public_key must be " + EdDsaPublicKey.BYTES + " bytes, got " + tx.getPublicKey().size());
    }
    if (tx.getSignature().size() != EdDsaSignature.BYTES) {
      throw malformed(index, "signature must be " + EdDsaSignature.BYTES + " bytes, got " + tx.getSignature().size());
    }
    EdDsaPublicKey key;
    try {
      key = keys.decode(tx.getPublicKey());
    } catch (IllegalArgumentException e) {
      throw malformed(index, "public_key: " + e.getMessage());
    }
    EdDsaSignature signature;
    try {
      signature = EdDsaSignature.fromBytes(tx.getSignature().toByteArray());
    } catch (IllegalArgumentException e) {
      throw malformed(index, "signature: " + e.getMessage());
    }
    return new SignedOp(op, key, signature);
  }

  private static long nonce(int index, long nonce) {
    if (nonce < 0) {
      throw malformed(index, "nonce must be below 2^63, got " + Long.toUnsignedString(nonce));
    }
    return nonce;
  }

  /** A token id: below 2^16 (protocol v3), read from the proto's uint32 (negative when ≥ 2^31). */
  private static int token(int index, int token) {
    if ((token & ~Ranges.MAX_TOKEN) != 0) {
      throw malformed(index, "token must be below 2^16, got " + Integer.toUnsignedString(token));
    }
    return token;
  }

  /**
   * An exact amount below 2^128, written as a canonical decimal: ASCII digits, no sign, no leading
   * zeros ("0" itself is canonical). Text that is not a decimal integer is MALFORMED however long;
   * a decimal integer that is too large is AMOUNT_OVERFLOW however many digits it has. A long one is
   * refused by its length, before any parsing: the cost of a hostile amount is one pass over its
   * characters, which the message limit bounds.
   */
  private static BigInteger amount(int index, String field, String text) {
    if (text.isEmpty() || !isDigits(text)) {
      throw malformed(index, field + " must be a decimal integer, got \"" + shorten(text) + "\"");
    }
    if (text.length() > 1 && text.charAt(0) == '0') {
      // One value, one encoding: a padded amount would also let a full list outgrow the message limit.
      throw malformed(index, field + " must be written without leading zeros, got \"" + shorten(text) + "\"");
    }
    if (text.length() > MAX_AMOUNT_DIGITS) {
      throw new RejectedException(
          new Rejection(
              RejectReason.AMOUNT_OVERFLOW,
              index,
              field + " " + shorten(text) + " has " + text.length() + " digits: not below 2^128, which has " + MAX_AMOUNT_DIGITS));
    }
    BigInteger value = new BigInteger(text);
    if (value.compareTo(TWO_128) >= 0) {
      throw new RejectedException(new Rejection(RejectReason.AMOUNT_OVERFLOW, index, field + " " + value + " is not below 2^128"));
    }
    return value;
  }

  /** A withdrawal's exact amount: below 2^112, the 14 bytes its public data has for it. */
  private static BigInteger withdrawalAmount(int index, String text) {
    BigInteger value = amount(index, "amount", text);
    if (value.compareTo(TWO_112) >= 0) {
      throw new RejectedException(
          new Rejection(RejectReason.AMOUNT_OVERFLOW, index, "amount " + value + " is not below 2^112, the most one withdrawal moves; withdraw in parts"));
    }
    return value;
  }

  private static boolean isDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** An amount that must be a float16 value (transfer amounts, max fees). */
  private static BigInteger float16(int index, String field, String text) {
    BigInteger value = amount(index, field, text);
    if (value.compareTo(Float16.MAX_VALUE) > 0) {
      throw new RejectedException(
          new Rejection(RejectReason.AMOUNT_OVERFLOW, index, field + " " + value + " is above the largest float16 amount " + Float16.MAX_VALUE));
    }
    if (!Float16.isRepresentable(value)) {
      throw malformed(index, field + " " + value + " is not a float16 amount; the nearest below is " + Float16.floorOf(value).value());
    }
    return value;
  }

  private static RejectedException malformed(int index, String message) {
    return new RejectedException(new Rejection(RejectReason.MALFORMED, index, message));
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
