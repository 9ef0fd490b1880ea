package io.zkrollup.circuits.batch;

import io.zkrollup.circuits.tx.Float16;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.circuits.tx.Ranges;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One op as the public data holds it (docs/protocol.md, "Public data" and "Public data of a priority
 * op"): what {@link PublicData#encode} writes and {@link PublicData#ops} reads back. It is what L1
 * and anyone rebuilding the state see of an op: a deposit names its account's idHash (not its key
 * and owner), a forced withdrawal says whether it was paid.
 */
public sealed interface PubdataOp {

  /** The op code (and so the number of chunks). */
  OpCode opCode();

  /**
   * A transfer: {@code from (4) ‖ to (4) ‖ amount float16 (2)}, one chunk.
   *
   * @param from the signer's account
   * @param to the receiver's account
   * @param amount the amount's float16
   */
  record Transfer(long from, long to, Float16 amount) implements PubdataOp {
    /** Checks the ranges. */
    public Transfer {
      Ranges.checkU32("from", from);
      Ranges.checkU32("to", to);
      Objects.requireNonNull(amount, "amount");
    }

    @Override
    public OpCode opCode() {
      return OpCode.TRANSFER;
    }
  }

  /**
   * A withdrawal: {@code from (4) ‖ token (2) ‖ l1Address (20) ‖ amount (14)}, four chunks.
   *
   * @param from the signer's account
   * @param token the account's token, which L1 pays
   * @param to the L1 address L1 credits
   * @param amount the amount, below 2^112
   */
  record Withdrawal(long from, int token, L1Address to, BigInteger amount) implements PubdataOp {
    /** Checks the ranges. */
    public Withdrawal {
      Ranges.checkU32("from", from);
      Ranges.checkToken("token", token);
      Objects.requireNonNull(to, "to");
      Ranges.checkBits("withdrawal amount", amount, Ranges.WITHDRAWAL_BITS);
    }

    @Override
    public OpCode opCode() {
      return OpCode.WITHDRAWAL;
    }
  }

  /**
   * A deposit: {@code 0x00 ‖ to (4) ‖ amount (13) ‖ idHash (32)}, five chunks.
   *
   * @param to the account it went to
   * @param amount the amount, below 2^104
   * @param idHash the account's {@code compress(keyHash, owner·2^32 + token)}
   */
  record Deposit(long to, BigInteger amount, Fr idHash) implements PubdataOp {
    /** Checks the ranges. */
    public Deposit {
      Ranges.checkU32("to", to);
      Ranges.checkBits("deposit amount", amount, Ranges.DEPOSIT_BITS);
      Objects.requireNonNull(idHash, "idHash");
    }

    @Override
    public OpCode opCode() {
      return OpCode.PRIORITY;
    }
  }

  /**
   * A forced withdrawal: {@code kind ‖ account (4) ‖ token (2) ‖ requester (20) ‖ amount (16) ‖ 0
   * (7)}, five chunks, kind 1 if it was paid and 2 if it was refused.
   *
   * @param account the account it was asked of
   * @param token the token asked for (and, if paid, the token L1 pays)
   * @param requester who asked (and, if paid, whom L1 credits)
   * @param amount the amount asked, below 2^128
   * @param paid whether it was paid
   */
  record ForcedWithdrawal(long account, int token, L1Address requester, BigInteger amount, boolean paid) implements PubdataOp {
    /** Checks the ranges. */
    public ForcedWithdrawal {
      Ranges.checkU32("account", account);
      Ranges.checkToken("token", token);
      Objects.requireNonNull(requester, "requester");
      Ranges.checkBits("forced withdrawal amount", amount, Ranges.AMOUNT_BITS);
    }

    @Override
    public OpCode opCode() {
      return OpCode.PRIORITY;
    }

    /** The kind byte: 1 paid, 2 refused. */
    public int kind() {
      return paid ? PublicData.KIND_FORCED_PAID : PublicData.KIND_FORCED_REFUSED;
    }
  }
}
