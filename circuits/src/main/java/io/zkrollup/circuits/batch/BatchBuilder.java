package io.zkrollup.circuits.batch;

import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.BatchOp;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.Float16;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.OpCode;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.TxRules;
import io.zkrollup.circuits.tx.TxViolation;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.MerkleProof;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Applies a batch (docs/protocol.md, "Batches", "Protocol v2" and "Protocol v3") to a state tree and builds its
 * witness and public data.
 *
 * <p>The ops fill the slots in order from slot 0; a withdrawal spans 4 slots and a priority op (a
 * deposit or a forced withdrawal) 5 (the slots after the first are no-op continuations); the slots
 * left over are no-ops. Each op is checked against the state left by the ops before it:
 *
 * <ul>
 *   <li>every op against {@link TxRules} (signer, key, nonce, fee, balance, receiver, indices,
 *       balances below 2^128; for deposits index, account and balance), the rules the sequencer's
 *       ledger applied before it admitted the op; a forced withdrawal is paid or refused as {@link
 *       TxRules#forcedWithdrawal} decides, which is what the circuit proves;
 *   <li>signed ops: the signature of the op's message for the header's rollup id is valid, and the
 *       public key hashes to the key hash the rules compared with the account's. A {@link
 *       VerifiedOp} was verified before it was journaled: with {@link Signatures#TRUST_VERIFIED}
 *       its signature is not checked again and its recorded key hash is used; a plain {@link
 *       SignedOp} is always verified;
 *   <li>multi-slot ops fit before slot B;
 *   <li>the batch's fee token is the operator account's token ({@link TxRules#feeToken}): the
 *       operator exists when a signed op is applied; a signed op of the fee token pays the batch
 *       fee, one of another token pays nothing ({@link TxRules#paysFee});
 *   <li>after the last slot the operator exists and can receive {@code fee × paying ops}.
 * </ul>
 *
 * <p>The tree's changes stay pending (the caller commits them with {@link StateTree#commit()}). If
 * any op is refused ({@link InvalidBatchException}) or anything else fails, the tree is put back: a
 * tree that had no pending changes is {@link StateTree#discard() discarded}, otherwise the touched
 * leaves get their old values back (same leaves, same root).
 *
 * <p>Not thread-safe (nor is the tree).
 */
public final class BatchBuilder {

  /** Which signatures a builder verifies. */
  public enum Signatures {
    /**
     * Every signed op's, {@link VerifiedOp}s included (whose recorded transaction hash must also be
     * the op's message): for audits and for ops from anywhere else than the node's own pipeline.
     */
    VERIFY_ALL,
    /**
     * Only plain {@link SignedOp}s'; a {@link VerifiedOp}'s signature is trusted and its recorded
     * key hash compared with the account's: for the node's sealer, whose ops the ingestion
     * pipeline verified before journaling them (or journal replay read back).
     */
    TRUST_VERIFIED
  }

  private final Poseidon2 poseidon2;
  private final DataAvailability mode;
  private final Signatures signatures;

  /** A rollup-mode builder hashing with {@code poseidon2} that verifies every signature. */
  public BatchBuilder(Poseidon2 poseidon2) {
    this(poseidon2, DataAvailability.ROLLUP);
  }

  /**
   * A builder hashing with {@code poseidon2} whose batches commit to their data as {@code mode}
   * says (docs/protocol.md, "Validium"): the mode decides the public input {@code pubdataHash}. It
   * verifies every signature.
   */
  public BatchBuilder(Poseidon2 poseidon2, DataAvailability mode) {
    this(poseidon2, mode, Signatures.VERIFY_ALL);
  }

  /**
   * A builder hashing with {@code poseidon2}, committing to the data as {@code mode} says, and
   * verifying the signatures {@code signatures} says.
   */
  public BatchBuilder(Poseidon2 poseidon2, DataAvailability mode, Signatures signatures) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.poseidon2 = Objects.requireNonNull(poseidon2, "poseidon2");
    this.signatures = Objects.requireNonNull(signatures, "signatures");
  }

  /**
   * Applies {@code ops} to {@code tree} and builds the batch.
   *
   * @param tree the state tree (depth 1..32); its root is the batch's old root
   * @param accounts the accounts behind the tree's leaves, as they are before the batch
   * @param header rollup id, batch number, operator and fee
   * @param slots the number of slots B, 1..65535
   * @param ops the ops in slot order (no no-ops: padding is added)
   * @return the witness, public data and changed accounts
   * @throws InvalidBatchException if an op or the batch breaks a rule (the tree is unchanged)
   * @throws IllegalStateException if {@code accounts} disagrees with the tree (the tree is unchanged)
   * @throws IllegalArgumentException if B or the tree depth is out of range
   */
  public Batch build(StateTree tree, AccountLookup accounts, BatchHeader header, int slots, List<? extends BatchOp> ops) {
    Objects.requireNonNull(tree, "tree");
    Objects.requireNonNull(accounts, "accounts");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(ops, "ops");
    BatchWitness.checkSlots(slots);
    BatchWitness.checkDepth(tree.depth());
    Run run = new Run(tree, accounts, header, slots);
    boolean hadPending = tree.hasPendingChanges();
    try {
      return run.apply(List.copyOf(ops));
    } catch (RuntimeException e) {
      if (hadPending) {
        run.restore();
      } else {
        tree.discard();
      }
      throw e;
    }
  }

  /** One build: the tree, the account overlay and the witness under construction. */
  private final class Run {
    private final StateTree tree;
    private final AccountLookup lookup;
    private final BatchHeader header;
    private final int slots;
    private final int depth;
    /** Accounts as the batch has left them so far (empty = no account); every index read or written. */
    private final Map<Long, Optional<AccountLeaf>> current = new HashMap<>();
    /** The tree's leaf value of each touched index before the batch. */
    private final Map<Long, Fr> originalLeaves = new LinkedHashMap<>();
    /** The accounts as the batch has left them so far, as the rules read them (one view per build). */
    private final TxRules.Accounts asTheyStand = index -> account(index).orElse(null);

    Run(StateTree tree, AccountLookup lookup, BatchHeader header, int slots) {
      this.tree = tree;
      this.lookup = lookup;
      this.header = header;
      this.slots = slots;
      this.depth = tree.depth();
    }

    Batch apply(List<? extends BatchOp> ops) {
      Fr oldRoot = tree.root();
      List<BatchWitness.Slot> witnesses = new ArrayList<>(slots);
      List<PubdataOp> published = new ArrayList<>(ops.size());
      int slot = 0;
      int payingOps = 0;
      for (BatchOp op : ops) {
        Objects.requireNonNull(op, "op");
        int span = op.opCode().chunks();
        if (slot + span > slots) {
          throw new InvalidBatchException(
              slot,
              "a " + (op.opCode() == OpCode.PRIORITY ? "priority op" : op.opCode().name().toLowerCase(Locale.ROOT)) + " spans " + span + " slots but only " + Math.max(0, slots - slot) + " of " + slots + " are left");
        }
        if (op instanceof Deposit d) {
          witnesses.add(deposit(slot, d, published));
        } else if (op instanceof ForcedWithdrawal f) {
          witnesses.add(forcedWithdrawal(slot, f, published));
        } else {
          SignedOp signedOp = op instanceof VerifiedOp v ? v.signed() : (SignedOp) op;
          long feeToken = feeToken(slot);
          witnesses.add(signed(slot, signedOp, op instanceof VerifiedOp v ? v : null, feeToken, published));
          if (TxRules.paysFee(signedOp.op(), feeToken)) {
            payingOps++;
          }
        }
        for (int k = 1; k < span; k++) {
          witnesses.add(BatchWitness.Slot.noop(depth));
        }
        slot += span;
      }
      while (witnesses.size() < slots) {
        witnesses.add(BatchWitness.Slot.noop(depth));
      }

      // The operator, opened after the last slot, receives the fees.
      long operator = header.operator();
      TxRules.Outcome credit = TxRules.creditOperator(asTheyStand, operator, header.fee(), payingOps, depth);
      if (credit instanceof TxViolation v) {
        throw new InvalidBatchException(-1, v);
      }
      AccountLeaf op = account(operator).orElseThrow();
      MerkleProof operatorProof = tree.proof(operator);
      write(operator, ((TxRules.Credited) credit).account());
      BatchWitness.Operator operatorWitness =
          new BatchWitness.Operator(op.keyHash(), op.ownerToken(), op.balance(), op.nonce(), operatorProof.siblings());

      PublicData publicData = PublicData.encode(header, slots, published);
      L1Data l1Data = L1Data.of(publicData, mode, poseidon2);
      PublicInputs inputs = new PublicInputs(oldRoot, tree.root(), header.batchNumber(), l1Data.hash());
      BatchWitness witness = new BatchWitness(slots, depth, inputs, header, operatorWitness, witnesses);
      Map<Long, AccountLeaf> changes = new TreeMap<>();
      for (Long index : originalLeaves.keySet()) {
        current.get(index).ifPresent(a -> changes.put(index, a));
      }
      return new Batch(witness, publicData, l1Data, new TreeMap<>(changes));
    }

    /** A deposit's slot: the account at {@code to} (or the empty leaf there) credited. */
    private BatchWitness.Slot deposit(int slot, Deposit d, List<PubdataOp> published) {
      long to = d.to();
      TxRules.Outcome outcome = TxRules.deposit(asTheyStand, d, depth);
      if (outcome instanceof TxViolation v) {
        throw new InvalidBatchException(slot, v);
      }
      Optional<AccountLeaf> existing = account(to);
      MerkleProof proof = tree.proof(to);
      AccountLeaf credited = ((TxRules.Credited) outcome).account();
      write(to, credited);
      BatchWitness.Account b = existing.isPresent()
          ? opened(to, existing.get(), proof)
          : new BatchWitness.Account(to, d.keyHash(), credited.ownerToken(), BigInteger.ZERO, 0, true, proof.siblings());
      published.add(new PubdataOp.Deposit(to, d.amount(), credited.idHash(poseidon2)));
      // The slot's token is 0: the circuit reads a deposit's token only inside its idHash.
      return new BatchWitness.Slot(
          OpCode.PRIORITY, Deposit.KIND, 0, Float16.ZERO, d.amount(), Float16.ZERO, BigInteger.valueOf(to),
          BatchWitness.Signer.dummy(depth), DummySignature.SIGNATURE, b);
    }

    /** A forced withdrawal's slot: paid (the account debited) or refused (nothing changes), as the rules decide. */
    private BatchWitness.Slot forcedWithdrawal(int slot, ForcedWithdrawal f, List<PubdataOp> published) {
      long index = f.account();
      TxRules.Outcome outcome = TxRules.forcedWithdrawal(asTheyStand, f, depth);
      if (outcome instanceof TxViolation v) {
        throw new InvalidBatchException(slot, v);
      }
      Optional<AccountLeaf> existing = account(index);
      MerkleProof proof = tree.proof(index);
      boolean paid = outcome instanceof TxRules.Paid;
      if (paid) {
        write(index, ((TxRules.Paid) outcome).account());
      }
      BatchWitness.Account b = existing.isPresent() ? opened(index, existing.get(), proof) : BatchWitness.Account.empty(index, proof.siblings());
      published.add(new PubdataOp.ForcedWithdrawal(index, f.token(), f.requester(), f.amount(), paid));
      return new BatchWitness.Slot(
          OpCode.PRIORITY, ForcedWithdrawal.KIND, f.token(), Float16.ZERO, f.amount(), Float16.ZERO, f.requester().toBigInteger(),
          BatchWitness.Signer.dummy(depth), DummySignature.SIGNATURE, b);
    }

    /** The {@code receiver} witness of an existing account as it stood when opened. */
    private static BatchWitness.Account opened(long index, AccountLeaf a, MerkleProof proof) {
      return new BatchWitness.Account(index, a.keyHash(), a.ownerToken(), a.balance(), a.nonce(), false, proof.siblings());
    }

    /**
     * The batch's fee token, the operator account's token as it stands ({@link TxRules#feeToken}).
     *
     * @throws InvalidBatchException if there is no operator account yet
     */
    private long feeToken(int slot) {
      TxRules.FeeToken fee = TxRules.feeToken(asTheyStand, header.operator(), depth);
      if (fee.violation() != null) {
        throw new InvalidBatchException(slot, fee.violation());
      }
      return fee.token();
    }

    /**
     * A signed op's slot.
     *
     * @param verified the op as the pipeline verified it, or null for a plain signed op
     * @param feeToken the batch's fee token
     */
    private BatchWitness.Slot signed(int slot, SignedOp signedOp, VerifiedOp verified, long feeToken, List<PubdataOp> published) {
      SignableOp op = signedOp.op();
      EdDsaPublicKey key = signedOp.publicKey();
      Fr pubKeyX = key.point().x();
      Fr pubKeyY = key.point().y();
      boolean verify = verified == null || signatures == Signatures.VERIFY_ALL;
      // Trusted: the key hash the signature stage computed from this key (and the journal kept).
      Fr keyHash = verify ? AccountLeaf.keyHash(poseidon2, pubKeyX, pubKeyY) : verified.keyHash();
      TxRules.Outcome outcome = TxRules.signed(asTheyStand, op, keyHash, header.fee(), feeToken, depth);
      if (outcome instanceof TxViolation v) {
        throw new InvalidBatchException(slot, v);
      }
      if (verify) {
        verifySignature(slot, signedOp, verified);
      }
      TxRules.Applied applied = (TxRules.Applied) outcome;
      long from = op.from();
      AccountLeaf signer = account(from).orElseThrow();
      MerkleProof proofA = tree.proof(from);
      write(from, applied.signer());
      BatchWitness.Signer a =
          new BatchWitness.Signer(from, pubKeyX, pubKeyY, signer.ownerToken(), signer.balance(), signer.nonce(), proofA.siblings());

      if (op instanceof Transfer t) {
        long to = t.to();
        // Read after the signer's write: a self-transfer's receiver is the debited signer, as in the rules.
        AccountLeaf receiver = account(to).orElseThrow();
        MerkleProof proofB = tree.proof(to);
        write(to, applied.receiver());
        published.add(new PubdataOp.Transfer(from, to, t.amount16()));
        return new BatchWitness.Slot(
            OpCode.TRANSFER, 0, t.token(), t.amount16(), t.amount(), t.maxFee16(), t.dest(), a, signedOp.signature(), opened(to, receiver, proofB));
      }
      Withdrawal w = (Withdrawal) op;
      published.add(new PubdataOp.Withdrawal(from, w.token(), w.l1Address(), w.amount()));
      return new BatchWitness.Slot(
          OpCode.WITHDRAWAL, 0, w.token(), Float16.ZERO, w.amount(), w.maxFee16(), w.dest(), a, signedOp.signature(), BatchWitness.Account.unused(depth));
    }

    /** The EdDSA check, and for a verified op that its recorded transaction hash is the op's message. */
    private void verifySignature(int slot, SignedOp signedOp, VerifiedOp verified) {
      Fr message = signedOp.op().message(poseidon2, header.rollupId());
      if (verified != null && !verified.txHash().equals(message)) {
        throw new InvalidBatchException(
            slot, "the " + what(signedOp) + "'s recorded hash " + verified.txHash() + " is not its message " + message + " for rollup " + header.rollupId());
      }
      if (!signedOp.publicKey().verify(signedOp.signature(), message)) {
        throw new InvalidBatchException(slot, "the " + what(signedOp) + "'s signature is not valid for rollup " + header.rollupId());
      }
    }

    private static String what(SignedOp op) {
      return op.opCode().name().toLowerCase(Locale.ROOT);
    }

    /** The account at {@code index} as the batch has left it so far, checked against the tree on first read. */
    private Optional<AccountLeaf> account(long index) {
      Optional<AccountLeaf> known = current.get(index);
      if (known != null) {
        return known;
      }
      Fr leaf = tree.get(index);
      Optional<AccountLeaf> stored = Objects.requireNonNull(lookup.get(index), "AccountLookup returned null");
      Fr expected = stored.map(a -> a.hash(poseidon2)).orElse(AccountLeaf.EMPTY_LEAF);
      if (!expected.equals(leaf)) {
        throw new IllegalStateException(
            "the account data for index " + index + " hashes to " + expected + " but the tree's leaf is " + leaf);
      }
      current.put(index, stored);
      return stored;
    }

    private void write(long index, AccountLeaf leaf) {
      originalLeaves.computeIfAbsent(index, tree::get);
      current.put(index, Optional.of(leaf));
      tree.put(index, leaf.hash(poseidon2));
    }

    /** Puts the touched leaves back (for a tree that had pending changes before the batch). */
    void restore() {
      originalLeaves.forEach(tree::put);
    }
  }
}
