package io.zkrollup.aggregator.journal;

import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.eddsa.EdDsaSignature;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * The byte layout of journal entries (docs/operations.md, "Journal"). Fixed-size big-endian fields;
 * the first byte says the kind:
 *
 * <pre>
 * 1 tx:      opCode u8 | from u32 | dest 20 (to u32 right-aligned, or the L1 address) | amount 16 |
 *            maxFee 16 | nonce u64 | token u16 | publicKey 32 | signature 64 | txHash 32 | keyHash 32
 * 2 deposit: to u32 | keyHash 32 | owner 20 | amount 16 | token u16
 * 3 seal:    batchNumber u64
 * 4 forced withdrawal: account u32 | requester 20 | amount 16 | token u16
 * </pre>
 *
 * Decoding re-validates every value: a damaged journal fails loudly instead of replaying wrong.
 * Protocol v3 added the tokens: every v2 tx, deposit and forced withdrawal entry is 2 bytes short
 * and fails on its length, loudly (and the node's recorded parameters refuse a v2 data directory
 * before its journal is read).
 */
public final class JournalCodec {

  private static final byte TX = 1;
  private static final byte DEPOSIT = 2;
  private static final byte SEAL = 3;
  private static final byte FORCED_WITHDRAWAL = 4;
  private static final int AMOUNT = 16;
  private static final int TOKEN = 2;
  static final int TX_BYTES = 1 + 1 + 4 + 20 + AMOUNT + AMOUNT + 8 + TOKEN + 32 + 64 + 32 + 32;
  // Protocol v2 added the owner: a v1 deposit entry (53 bytes) fails on its length, loudly.
  static final int DEPOSIT_BYTES = 1 + 4 + 32 + L1Address.BYTES + AMOUNT + TOKEN;
  static final int FORCED_WITHDRAWAL_BYTES = 1 + 4 + L1Address.BYTES + AMOUNT + TOKEN;
  static final int SEAL_BYTES = 1 + 8;

  private JournalCodec() {}

  /** The bytes of {@code entry}. */
  public static byte[] encode(JournalEntry entry) {
    if (entry instanceof JournalEntry.Tx t) {
      return encodeTx(t.tx());
    }
    if (entry instanceof JournalEntry.Priority p) {
      return p.op() instanceof Deposit d ? encodeDeposit(d) : encodeForcedWithdrawal((ForcedWithdrawal) p.op());
    }
    return ByteBuffer.allocate(SEAL_BYTES).put(SEAL).putLong(((JournalEntry.Seal) entry).batchNumber()).array();
  }

  private static byte[] encodeTx(VerifiedOp tx) {
    SignableOp op = tx.signed().op();
    ByteBuffer b = ByteBuffer.allocate(TX_BYTES);
    b.put(TX).put((byte) op.opCode().code()).putInt((int) op.from());
    if (op instanceof Withdrawal w) {
      b.put(w.l1Address().toBytes());
    } else {
      b.put(new byte[16]).putInt((int) ((Transfer) op).to());
    }
    putAmount(b, op.amount());
    putAmount(b, op.maxFee());
    b.putLong(op.nonce());
    b.putShort((short) op.token());
    b.put(tx.signed().publicKey().toBytes());
    b.put(tx.signed().signature().toBytes());
    b.put(tx.txHash().toBytes());
    b.put(tx.keyHash().toBytes());
    return b.array();
  }

  private static byte[] encodeDeposit(Deposit d) {
    ByteBuffer b = ByteBuffer.allocate(DEPOSIT_BYTES);
    b.put(DEPOSIT).putInt((int) d.to()).put(d.keyHash().toBytes()).put(d.owner().toBytes());
    putAmount(b, d.amount());
    b.putShort((short) d.token());
    return b.array();
  }

  private static byte[] encodeForcedWithdrawal(ForcedWithdrawal f) {
    ByteBuffer b = ByteBuffer.allocate(FORCED_WITHDRAWAL_BYTES);
    b.put(FORCED_WITHDRAWAL).putInt((int) f.account()).put(f.requester().toBytes());
    putAmount(b, f.amount());
    b.putShort((short) f.token());
    return b.array();
  }

  /**
   * Decodes an entry.
   *
   * @throws IllegalArgumentException if the bytes are not a valid entry
   */
  public static JournalEntry decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty journal entry");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte kind = b.get();
    switch (kind) {
      case TX -> {
        expectLength(bytes, TX_BYTES, "tx");
        int code = b.get();
        long from = Integer.toUnsignedLong(b.getInt());
        byte[] dest = new byte[20];
        b.get(dest);
        BigInteger amount = getAmount(b);
        BigInteger maxFee = getAmount(b);
        long nonce = b.getLong();
        int token = Short.toUnsignedInt(b.getShort());
        EdDsaPublicKey key = EdDsaPublicKey.fromBytes(slice(b, 32));
        EdDsaSignature sig = EdDsaSignature.fromBytes(slice(b, 64));
        Fr txHash = Fr.fromBytes(slice(b, 32));
        Fr keyHash = Fr.fromBytes(slice(b, 32));
        SignableOp op;
        if (code == OpCode.TRANSFER.code()) {
          long to = Integer.toUnsignedLong(ByteBuffer.wrap(dest, 16, 4).getInt());
          op = new Transfer(from, to, amount, maxFee, nonce, token);
        } else if (code == OpCode.WITHDRAWAL.code()) {
          op = new Withdrawal(from, L1Address.of(dest), amount, maxFee, nonce, token);
        } else {
          throw new IllegalArgumentException("journal tx with op code " + code);
        }
        // Only verified ops are journaled (SignatureStage verifies before the sequencer admits).
        return new JournalEntry.Tx(VerifiedOp.fromRecord(new SignedOp(op, key, sig), txHash, keyHash));
      }
      case DEPOSIT -> {
        expectLength(bytes, DEPOSIT_BYTES, "deposit");
        long to = Integer.toUnsignedLong(b.getInt());
        Fr keyHash = Fr.fromBytes(slice(b, 32));
        L1Address owner = L1Address.of(slice(b, L1Address.BYTES));
        BigInteger amount = getAmount(b);
        return new JournalEntry.Priority(new Deposit(to, keyHash, owner, amount, Short.toUnsignedInt(b.getShort())));
      }
      case FORCED_WITHDRAWAL -> {
        expectLength(bytes, FORCED_WITHDRAWAL_BYTES, "forced withdrawal");
        long account = Integer.toUnsignedLong(b.getInt());
        L1Address requester = L1Address.of(slice(b, L1Address.BYTES));
        BigInteger amount = getAmount(b);
        return new JournalEntry.Priority(new ForcedWithdrawal(account, requester, amount, Short.toUnsignedInt(b.getShort())));
      }
      case SEAL -> {
        expectLength(bytes, SEAL_BYTES, "seal");
        return new JournalEntry.Seal(b.getLong());
      }
      default -> throw new IllegalArgumentException("unknown journal entry kind " + kind);
    }
  }

  private static void expectLength(byte[] bytes, int length, String what) {
    if (bytes.length != length) {
      throw new IllegalArgumentException("a journal " + what + " entry is " + length + " bytes, got " + bytes.length);
    }
  }

  private static byte[] slice(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static void putAmount(ByteBuffer b, BigInteger value) {
    byte[] raw = value.toByteArray();
    int start = raw.length > AMOUNT ? raw.length - AMOUNT : 0;
    if (raw.length - start > AMOUNT || (start > 0 && raw[0] != 0)) {
      throw new IllegalArgumentException("amount " + value + " does not fit 16 bytes");
    }
    byte[] out = new byte[AMOUNT];
    System.arraycopy(raw, start, out, AMOUNT - (raw.length - start), raw.length - start);
    b.put(out);
  }

  private static BigInteger getAmount(ByteBuffer b) {
    return new BigInteger(1, slice(b, AMOUNT));
  }
}
