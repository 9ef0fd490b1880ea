package io.zkrollup.aggregator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.zkrollup.sdk.Wallet;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.AccountState;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionResponse;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.api.v1.SubmitTransactionsResponse;
import io.zkrollup.circuits.tx.L1Address;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input over a real gRPC channel: each gets its own status code, an ErrorInfo
 * reason and a message naming the problem, and changes nothing (journal length and the accounts
 * involved are the same before and after). Also the atomic list: all or nothing.
 */
class SubmissionRejectionTest {

  @TempDir static Path dir;
  static TestNode t;
  static final BigInteger FEE = BigInteger.valueOf(2);
  /** An L1 address to withdraw to (not the zero address, which nobody can claim from). */
  static final L1Address SOMEONE = L1Address.fromHex("0x00000000000000000000000000000000000a11ce");

  @BeforeAll
  static void start() {
    // No timer seals: the journal grows only by what the tests submit.
    t = TestNode.start(dir, TestNode.Options.defaults().withFee(2).withSealAfter(600_000));
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  static Wallet w(int i) {
    return t.wallets.get(i);
  }

  static AccountState pending(int index) {
    return t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(index).build()).getPending();
  }

  static long nonce(int index) {
    return pending(index).getNonce();
  }

  static SubmitTransactionResponse submit(SignedTransaction tx) {
    return t.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(tx).build());
  }

  /** Asserts the call fails with {@code code}, {@code reason} and a message containing {@code words}, and changes nothing. */
  static StatusRuntimeException refused(Supplier<?> call, Status.Code code, String reason, String words, int... accounts) {
    long journal = t.status().getJournalEntries();
    List<AccountState> before = new ArrayList<>();
    for (int a : accounts) {
      before.add(pending(a));
    }
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::get);
    assertThat(e).as("the call must fail").isNotNull();
    assertThat(e.getStatus().getCode()).as("status " + e.getStatus()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).contains(words);
    if (reason != null) {
      ErrorInfo info = TxStatusCodes.errorInfo(e);
      assertThat(info.getDomain()).isEqualTo(TxStatusCodes.DOMAIN);
      assertThat(info.getReason()).isEqualTo(reason);
    }
    assertThat(t.status().getJournalEntries()).as("journal unchanged").isEqualTo(journal);
    for (int i = 0; i < accounts.length; i++) {
      assertThat(pending(accounts[i])).as("account " + accounts[i] + " unchanged").isEqualTo(before.get(i));
    }
    return e;
  }

  static BigInteger n(long v) {
    return BigInteger.valueOf(v);
  }

  @Test
  void malformedTransactionsAreInvalidArgument() {
    SignedTransaction good = w(1).transfer(2, n(5), FEE, nonce(1));
    refused(() -> submit(good.toBuilder().setPublicKey(ByteString.copyFrom(new byte[31])).build()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED", "public_key must be 32 bytes", 1, 2);
    byte[] junk = new byte[64];
    java.util.Arrays.fill(junk, (byte) 0xff);
    refused(() -> submit(good.toBuilder().setSignature(ByteString.copyFrom(junk)).build()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED", "signature", 1, 2);
    refused(() -> submit(good.toBuilder().clearTransfer().build()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED", "neither a transfer nor a withdrawal", 1);
    refused(() -> submit(good.toBuilder().setTransfer(good.getTransfer().toBuilder().setAmount("12abc")).build()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED", "decimal integer", 1, 2);
    refused(() -> submit(good.toBuilder().setTransfer(good.getTransfer().toBuilder().setAmount("2049")).build()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED", "not a float16 amount; the nearest below is 2047", 1, 2);
    refused(() -> t.stub().submitTransaction(SubmitTransactionRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED", "no transaction");
  }

  /** grpc-java answers a request it cannot parse itself, with UNKNOWN; the service never sees it. */
  @Test
  void bytesThatAreNotAProtobufMessageAreRefusedByGrpc() {
    MethodDescriptor<byte[], byte[]> raw =
        RollupServiceGrpc.getSubmitTransactionMethod().toBuilder(new RawBytes(), new RawBytes()).build();
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    refused(() -> ClientCalls.blockingUnaryCall(t.channel, raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), garbage),
        Status.Code.UNKNOWN, null, "Application error processing RPC", 1);
  }

  /** Sends bytes as they are. */
  static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Test
  void aSignatureByAnotherKeyIsUnauthenticated() {
    SignedTransaction mine = w(1).transfer(2, n(5), FEE, nonce(1));
    SignedTransaction forged = mine.toBuilder().setSignature(w(3).transfer(2, n(5), FEE, nonce(1)).getSignature()).build();
    refused(() -> submit(forged), Status.Code.UNAUTHENTICATED, "BAD_SIGNATURE", "signature does not verify", 1, 2);
    // Valid signature, but over other values than those sent.
    SignedTransaction changed = mine.toBuilder().setTransfer(mine.getTransfer().toBuilder().setAmount("6")).build();
    refused(() -> submit(changed), Status.Code.UNAUTHENTICATED, "BAD_SIGNATURE", "signature does not verify", 1, 2);
  }

  @Test
  void anotherAccountsKeyIsPermissionDenied() {
    // Account 3 signs correctly with its own key, but claims to spend from account 1.
    Wallet impostor = Wallet.fromSeed(seed(3), 1, TestNode.ROLLUP);
    refused(() -> submit(impostor.transfer(2, n(5), FEE, nonce(1))), Status.Code.PERMISSION_DENIED, "WRONG_KEY", "not the key of account 1", 1, 2);
  }

  @Test
  void aReplayedNonceIsAlreadyExistsAndAGapIsFailedPrecondition() {
    long n = nonce(4);
    SignedTransaction tx = w(4).transfer(5, n(7), FEE, n);
    submit(tx);
    refused(() -> submit(tx), Status.Code.ALREADY_EXISTS, "NONCE_REPLAYED", "nonce " + n + " of account 4 is used", 4, 5);
    refused(() -> submit(w(4).transfer(5, n(7), FEE, n + 5)), Status.Code.FAILED_PRECONDITION, "NONCE_GAP", "expects " + (n + 1), 4, 5);
  }

  @Test
  void anOverdraftIsFailedPrecondition() {
    BigInteger balance = new BigInteger(pending(6).getBalance());
    // 2000·10^3 = 2,000,000 > 1,000,000 of genesis.
    refused(() -> submit(w(6).transfer(2, n(2_000_000), FEE, nonce(6))),
        Status.Code.FAILED_PRECONDITION, "INSUFFICIENT_BALANCE", "has " + balance, 6, 2);
    refused(() -> submit(w(6).withdrawal(SOMEONE, balance, FEE, nonce(6))),
        Status.Code.FAILED_PRECONDITION, "INSUFFICIENT_BALANCE", "less than amount + fee", 6);
  }

  @Test
  void aFeeBelowTheNodesIsFailedPrecondition() {
    refused(() -> submit(w(1).transfer(2, n(5), BigInteger.ONE, nonce(1))), Status.Code.FAILED_PRECONDITION, "FEE_TOO_LOW", "below the batch fee 2", 1, 2);
  }

  @Test
  void overflowingAmountsAreOutOfRange() {
    SignedTransaction good = w(1).transfer(2, n(5), FEE, nonce(1));
    refused(() -> submit(good.toBuilder().setTransfer(good.getTransfer().toBuilder().setAmount("340282366920938463463374607431768211456")).build()),
        Status.Code.OUT_OF_RANGE, "AMOUNT_OVERFLOW", "not below 2^128", 1, 2);
    refused(() -> submit(good.toBuilder().setTransfer(good.getTransfer().toBuilder().setMaxFee("99999999999999999999999999999999999")).build()),
        Status.Code.OUT_OF_RANGE, "AMOUNT_OVERFLOW", "above the largest float16 amount", 1, 2);
    SignedTransaction w = w(1).withdrawal(SOMEONE, n(5), FEE, nonce(1));
    refused(() -> submit(w.toBuilder().setWithdrawal(w.getWithdrawal().toBuilder().setAmount("340282366920938463463374607431768211456")).build()),
        Status.Code.OUT_OF_RANGE, "AMOUNT_OVERFLOW", "not below 2^128", 1);
  }

  @Test
  void amountsTooLargeAreOverflowHoweverManyDigitsTheyHaveAndOnlyTextIsMalformed() {
    SignedTransaction good = w(1).transfer(2, n(5), FEE, nonce(1));
    // More digits than the old 64-character cap: still a decimal integer, only too large. Before,
    // these were MALFORMED although docs/operations.md promises AMOUNT_OVERFLOW for them.
    for (String big : new String[] {"1" + "0".repeat(64), "9".repeat(4_000)}) {
      StatusRuntimeException e =
          refused(() -> submit(good.toBuilder().setTransfer(good.getTransfer().toBuilder().setAmount(big)).build()),
              Status.Code.OUT_OF_RANGE, "AMOUNT_OVERFLOW", "digits", 1, 2);
      assertThat(e.getStatus().getDescription()).as("the message quotes a bounded part of the amount").hasSizeLessThan(300);
      refused(() -> submit(good.toBuilder().setTransfer(good.getTransfer().toBuilder().setMaxFee(big)).build()),
          Status.Code.OUT_OF_RANGE, "AMOUNT_OVERFLOW", "max_fee", 1, 2);
    }
    // A withdrawal's exact amount is below 2^112 (14 bytes of public data). Before, 2^112 … 2^128 − 1
    // failed in the Withdrawal constructor and gRPC answered UNKNOWN.
    SignedTransaction wd = w(1).withdrawal(SOMEONE, n(5), FEE, nonce(1));
    refused(() -> submit(wd.toBuilder().setWithdrawal(wd.getWithdrawal().toBuilder().setAmount(BigInteger.ONE.shiftLeft(112).toString())).build()),
        Status.Code.OUT_OF_RANGE, "AMOUNT_OVERFLOW", "2^112", 1);
    refused(() -> submit(wd.toBuilder().setWithdrawal(wd.getWithdrawal().toBuilder().setAmount("1" + "0".repeat(100))).build()),
        Status.Code.OUT_OF_RANGE, "AMOUNT_OVERFLOW", "digits", 1);
    // What is not a decimal integer stays MALFORMED, however long.
    for (String text : new String[] {"", "-5", "+5", " 5", "5 ", "1e3", "0x10", "5.0", "١٢", "9".repeat(100) + "x"}) {
      refused(() -> submit(good.toBuilder().setTransfer(good.getTransfer().toBuilder().setAmount(text)).build()),
          Status.Code.INVALID_ARGUMENT, "MALFORMED", "decimal integer", 1, 2);
    }
  }

  @Test
  void aWithdrawalToTheZeroAddressIsRefusedAlsoInAList() {
    // Nobody holds the zero address's key: a withdrawal to it could never be claimed on L1.
    SignedTransaction zero = w(5).withdrawal(L1Address.of(new byte[L1Address.BYTES]), n(10), FEE, nonce(5));
    refused(() -> submit(zero), Status.Code.INVALID_ARGUMENT, "ZERO_L1_ADDRESS", "zero address", 5);
    SignedTransaction fine = w(5).withdrawal(SOMEONE, n(10), FEE, nonce(5));
    StatusRuntimeException e =
        refused(() -> t.stub().submitTransactions(SubmitTransactionsRequest.newBuilder().addTransactions(fine).addTransactions(zero).build()),
            Status.Code.INVALID_ARGUMENT, "ZERO_L1_ADDRESS", "transaction 1:", 5);
    assertThat(TxStatusCodes.errorInfo(e).getMetadataMap()).containsEntry("index", "1");
    assertThat(submit(fine).getTxHash()).isEqualTo(com.google.protobuf.ByteString.copyFrom(w(5).txHash(fine).toBytes()));
  }

  @Test
  void unknownAccountsAreNotFound() {
    Wallet stranger = Wallet.fromSeed(seed(99), 99, TestNode.ROLLUP);
    refused(() -> submit(stranger.transfer(1, n(5), FEE, 0)), Status.Code.NOT_FOUND, "UNKNOWN_ACCOUNT", "account 99, which does not exist", 1);
    refused(() -> submit(w(1).transfer(99, n(5), FEE, nonce(1))), Status.Code.NOT_FOUND, "UNKNOWN_ACCOUNT", "to account 99", 1);
    // Outside the tree (depth 8) is just as unknown.
    refused(() -> submit(w(1).transfer(1L << 20, n(5), FEE, nonce(1))), Status.Code.NOT_FOUND, "UNKNOWN_ACCOUNT", "does not exist", 1);
  }

  @Test
  void anOversizedRequestIsResourceExhaustedByGrpc() {
    SignedTransaction good = w(1).transfer(2, n(5), FEE, nonce(1));
    SignedTransaction huge = good.toBuilder().setPublicKey(ByteString.copyFrom(new byte[1 << 20])).build();
    refused(() -> submit(huge), Status.Code.RESOURCE_EXHAUSTED, null, "exceeds maximum", 1, 2);
  }

  @Test
  void aListOverTheLimitIsRefusedWhole() {
    SubmitTransactionsRequest.Builder b = SubmitTransactionsRequest.newBuilder();
    long n = nonce(7);
    for (int i = 0; i <= t.config.maxListSize(); i++) {
      b.addTransactions(w(7).transfer(8, n(1), FEE, n + i));
    }
    refused(() -> t.stub().submitTransactions(b.build()), Status.Code.INVALID_ARGUMENT, "LIST_TOO_LONG", "at most 16 transactions, got 17", 7, 8);
  }

  @Test
  void aListIsAcceptedWholeOrNotAtAll() {
    long n2 = nonce(2);
    long n3 = nonce(3);
    BigInteger b2 = new BigInteger(pending(2).getBalance());
    BigInteger b3 = new BigInteger(pending(3).getBalance());
    List<SignedTransaction> txs =
        List.of(
            w(2).transfer(3, n(10), FEE, n2),
            w(3).withdrawal(SOMEONE, n(20), FEE, n3),
            w(2).transfer(3, n(30), FEE, n2 + 1));
    // The third one replays the first's nonce: the whole list is refused, naming it.
    List<SignedTransaction> bad = List.of(txs.get(0), txs.get(1), w(2).transfer(3, n(30), FEE, n2));
    StatusRuntimeException e =
        refused(() -> t.stub().submitTransactions(SubmitTransactionsRequest.newBuilder().addAllTransactions(bad).build()),
            Status.Code.ALREADY_EXISTS, "NONCE_REPLAYED", "transaction 2:", 2, 3);
    assertThat(TxStatusCodes.errorInfo(e).getMetadataMap()).containsEntry("index", "2");

    SubmitTransactionsResponse ok = t.stub().submitTransactions(SubmitTransactionsRequest.newBuilder().addAllTransactions(txs).build());
    assertThat(ok.getAcceptedCount()).isEqualTo(3);
    assertThat(ok.getAccepted(1).getJournalIndex()).isGreaterThan(ok.getAccepted(0).getJournalIndex());
    assertThat(ok.getAccepted(2).getJournalIndex()).isGreaterThan(ok.getAccepted(1).getJournalIndex());
    assertThat(pending(2).getNonce()).isEqualTo(n2 + 2);
    assertThat(pending(3).getNonce()).isEqualTo(n3 + 1);
    assertThat(new BigInteger(pending(2).getBalance())).isEqualTo(b2.subtract(n(40 + 4)));
    assertThat(new BigInteger(pending(3).getBalance())).isEqualTo(b3.add(n(40)).subtract(n(20 + 2)));
  }

  static byte[] seed(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[1] = (byte) (i >> 8);
    seed[31] = 0x5a;
    return seed;
  }
}
