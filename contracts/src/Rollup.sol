// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// The gnark-exported Groth16 verifier (`zkrollup verifier`): returns on a valid proof, reverts otherwise.
interface IBatchVerifier {
    function verifyProof(bytes calldata proof, uint256[4] calldata input) external view;
}

/// @title The zk-rollup's L1 contract (rollup or validium mode), as specified in docs/protocol.md, "L1 contract".
/// @notice Holds the state root, a deposit queue with a rolling hash, and the withdrawals that
/// committed batches credited. A batch is accepted only with a proof that verifies against the
/// stored root; its deposits must be the next queue entries, in order.
/// The reference implementation of the same rules is io.zkrollup.aggregator.l1.EmbeddedL1.
contract Rollup {
    /// BN254 scalar field modulus p: a key hash must be canonical (< p).
    uint256 internal constant FIELD_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// Deposits are below 2^112 wei: the public data's amount field is 14 bytes.
    uint256 internal constant DEPOSIT_LIMIT = 1 << 112;
    /// All deposits ever made sum to less than 2^128 wei: L2 holds at most what was deposited, so no
    /// L2 balance can reach 2^128, the circuit's bound (a deposit that would overflow one could never
    /// be proven, and would block the queue behind it). 2^128 wei is about 3.4e20 ETH.
    uint256 internal constant TOTAL_DEPOSIT_LIMIT = 1 << 128;
    /// SHA-256(pubdata) mod 2^253 fits the field.
    uint256 internal constant HASH_MASK = (1 << 253) - 1;

    /// Header: rollupId (4) ‖ batchNumber (8) ‖ operator (4) ‖ fee (16) ‖ opCodes (⌈B/4⌉).
    uint256 internal constant OPCODES_OFFSET = 32;
    uint256 internal constant CHUNK = 10;
    uint256 internal constant OP_DEPOSIT = 2;
    uint256 internal constant OP_WITHDRAWAL = 3;
    uint256 internal constant DEPOSIT_CHUNKS = 5;
    uint256 internal constant WITHDRAWAL_CHUNKS = 4;
    /// The high bit of every 2-bit op code in a 32-byte word of op codes.
    uint256 internal constant HIGH_BITS = 0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA;

    IBatchVerifier public immutable verifier;
    uint32 public immutable rollupId;
    /// B: slots per batch.
    uint16 public immutable slots;
    /// Validium mode (docs/protocol.md, "Validium"): commitBatch receives the public data with zero
    /// transfer chunks followed by txHash (32 bytes), and hashes all of it. The proof binds txHash;
    /// the contract never reads it, and reads deposits and withdrawals where rollup mode has them.
    bool public immutable validium;

    uint256 public stateRoot;
    uint64 public batchCount;
    uint64 public depositCount;
    uint64 public depositsConsumed;
    /// queueHash[0] = 0; queueHash[i+1] = keccak256(queueHash[i] ‖ keyHash (32) ‖ amount (14)).
    mapping(uint64 => bytes32) public queueHash;
    /// Wei credited by committed withdrawals and not yet claimed.
    mapping(address => uint256) public pendingWithdrawal;
    /// Wei deposited so far, all deposits together (never decreases: withdrawals do not free room).
    uint256 public totalDeposited;

    event Deposit(uint64 index, bytes32 keyHash, uint112 amount);
    event BatchCommitted(uint64 batchNumber, uint256 newRoot, uint256 pubdataHash);
    event Claimed(address to, uint256 amount);

    /// deposit: msg.value must be 1 .. 2^112 − 1 wei, and all deposits together below 2^128.
    error DepositAmountOutOfRange(uint256 amount);
    /// deposit: the deposits together would reach 2^128 wei.
    error DepositCapExceeded(uint256 totalDeposited, uint256 amount);
    /// deposit: the key hash is not a canonical field element (≥ p).
    error KeyHashNotCanonical(bytes32 keyHash);
    /// commitBatch: pubdata is not header + B chunks (+ txHash in validium mode) long, or an op runs past the last slot.
    error MalformedPubdata();
    /// commitBatch: the header names another rollup.
    error WrongRollup(uint32 expected, uint32 got);
    /// commitBatch: the header's batch number is not batchCount (a replay or a gap).
    error BatchOutOfOrder(uint64 expected, uint64 got);
    /// commitBatch: the proof does not verify for (stateRoot, newRoot, batchCount, pubdataHash).
    error InvalidProof();
    /// commitBatch: the batch consumes more deposits than are queued.
    error TooManyDeposits(uint64 queued, uint64 wanted);
    /// commitBatch: the batch's deposits are not the next ones of the queue, in order.
    error DepositsMismatch();
    /// claim: nothing is pending for the caller.
    error NothingToClaim();
    /// claim: the caller refused the ETH.
    error TransferFailed();

    /// Deploys the rollup and queues deposit 0: the operator's key hash with amount 0, which
    /// creates the operator's account (batch 0 consumes it; every batch credits fees to it).
    constructor(IBatchVerifier verifier_, uint32 rollupId_, uint16 slots_, bool validium_, uint256 genesisRoot, bytes32 operatorKeyHash) {
        if (uint256(operatorKeyHash) >= FIELD_MODULUS) revert KeyHashNotCanonical(operatorKeyHash);
        verifier = verifier_;
        rollupId = rollupId_;
        slots = slots_;
        validium = validium_;
        stateRoot = genesisRoot;
        _enqueue(operatorKeyHash, 0);
    }

    /// Queues a deposit of msg.value wei into the rollup account of `keyHash` (the node places it
    /// at the account of that key, or the lowest empty leaf).
    function deposit(bytes32 keyHash) external payable {
        if (msg.value == 0 || msg.value >= DEPOSIT_LIMIT) revert DepositAmountOutOfRange(msg.value);
        if (uint256(keyHash) >= FIELD_MODULUS) revert KeyHashNotCanonical(keyHash);
        uint256 total = totalDeposited + msg.value;
        if (total >= TOTAL_DEPOSIT_LIMIT) revert DepositCapExceeded(totalDeposited, msg.value);
        totalDeposited = total;
        _enqueue(keyHash, uint112(msg.value));
    }

    function _enqueue(bytes32 keyHash, uint112 amount) private {
        uint64 i = depositCount;
        queueHash[i + 1] = keccak256(abi.encodePacked(queueHash[i], keyHash, bytes14(amount)));
        depositCount = i + 1;
        emit Deposit(i, keyHash, amount);
    }

    /// Commits the next batch.
    /// Permissionless on purpose: anyone may call it, because the proof is what authorises a batch.
    /// The proof binds oldRoot (from storage), newRoot, the batch number and the hash of exactly
    /// these public data, so a caller can only post a transition the circuit accepted; the
    /// operator's identity is in the header and fees go to its L2 account, not to msg.sender.
    function commitBatch(bytes calldata pubdata, uint256 newRoot, bytes calldata proof) external {
        uint256 b = slots;
        uint256 chunks = OPCODES_OFFSET + (b + 3) / 4; // where chunk 0 starts
        if (pubdata.length != chunks + CHUNK * b + (validium ? 32 : 0)) revert MalformedPubdata();

        uint32 headerRollup = uint32(bytes4(pubdata[0:4]));
        if (headerRollup != rollupId) revert WrongRollup(rollupId, headerRollup);
        uint64 batchNumber = uint64(bytes8(pubdata[4:12]));
        uint64 expected = batchCount;
        if (batchNumber != expected) revert BatchOutOfOrder(expected, batchNumber);

        uint256 pubdataHash = uint256(sha256(pubdata)) & HASH_MASK;
        // oldRoot comes from storage, never from calldata.
        try verifier.verifyProof(proof, [stateRoot, newRoot, uint256(expected), pubdataHash]) {}
        catch {
            revert InvalidProof();
        }

        uint64 consumed = depositsConsumed;
        (bytes32 rolling, uint64 taken) = _walk(pubdata, chunks, b, queueHash[consumed]);
        if (taken > 0) {
            uint64 queued = depositCount;
            if (consumed + taken > queued) revert TooManyDeposits(queued - consumed, taken);
            if (rolling != queueHash[consumed + taken]) revert DepositsMismatch();
            depositsConsumed = consumed + taken;
        }

        stateRoot = newRoot;
        batchCount = expected + 1;
        emit BatchCommitted(batchNumber, newRoot, pubdataHash);
    }

    /// Walks the op codes: extends `rolling` over the deposit chunks and credits the withdrawal
    /// chunks, in slot order. Deposits (2) and withdrawals (3) are the codes whose high bit is set;
    /// transfers (1), padding and continuation chunks (0) have it clear. So the walk reads the op
    /// codes 32 bytes (128 slots) at a time and visits only the slots with that bit: a batch of
    /// transfers costs one word read per 128 slots, and B adds almost nothing beyond calldata.
    /// The proof has checked the layout (continuations are 0, unused bits are 0); the bounds
    /// checks below only keep a malformed batch from reading past the last chunk.
    function _walk(bytes calldata pubdata, uint256 chunks, uint256 b, bytes32 rolling) private returns (bytes32, uint64 taken) {
        unchecked {
            for (uint256 first; first < b; first += 128) {
                uint256 word = _opCodeWord(pubdata, first, b);
                uint256 high = word & HIGH_BITS;
                while (high != 0) {
                    uint256 bit = _highestBit(high); // the high bit of the first such slot: 255 − 2·(slot − first)
                    high ^= 1 << bit;
                    uint256 slot = first + (255 - bit) / 2;
                    if ((word >> (bit - 1)) & 3 == OP_DEPOSIT) {
                        rolling = _deposit(pubdata, chunks + CHUNK * slot, slot, b, rolling);
                        taken++;
                    } else {
                        _withdrawal(pubdata, chunks + CHUNK * slot, slot, b);
                    }
                }
            }
        }
        return (rolling, taken);
    }

    /// The op codes of slots first .. first + 127 (2 bits each, slot `first` on top); the bits of
    /// slots ≥ b, which are chunk bytes in calldata, are cleared.
    function _opCodeWord(bytes calldata pubdata, uint256 first, uint256 b) private pure returns (uint256 word) {
        unchecked {
            uint256 at = OPCODES_OFFSET + first / 4;
            assembly {
                word := calldataload(add(pubdata.offset, at))
            }
            if (b - first < 128) word &= ~(type(uint256).max >> (2 * (b - first)));
        }
    }

    /// Extends the queue's rolling hash over the deposit whose chunk starts at `o`.
    function _deposit(bytes calldata pubdata, uint256 o, uint256 slot, uint256 b, bytes32 rolling) private pure returns (bytes32) {
        if (slot + DEPOSIT_CHUNKS > b) revert MalformedPubdata();
        // to (4) ‖ amount (14) ‖ keyHash (32); `to` is the node's choice and L1 ignores it.
        return keccak256(abi.encodePacked(rolling, bytes32(pubdata[o + 18:o + 50]), bytes14(pubdata[o + 4:o + 18])));
    }

    /// Credits the withdrawal whose chunk starts at `o` to its L1 address.
    function _withdrawal(bytes calldata pubdata, uint256 o, uint256 slot, uint256 b) private {
        if (slot + WITHDRAWAL_CHUNKS > b) revert MalformedPubdata();
        // from (4) ‖ l1Address (20) ‖ amount (16)
        address to = address(bytes20(pubdata[o + 4:o + 24]));
        pendingWithdrawal[to] += uint128(bytes16(pubdata[o + 24:o + 40]));
    }

    /// The index of the most significant set bit of x (x ≠ 0), by binary search.
    function _highestBit(uint256 x) private pure returns (uint256 r) {
        unchecked {
            if (x >= 1 << 128) { x >>= 128; r += 128; }
            if (x >= 1 << 64) { x >>= 64; r += 64; }
            if (x >= 1 << 32) { x >>= 32; r += 32; }
            if (x >= 1 << 16) { x >>= 16; r += 16; }
            if (x >= 1 << 8) { x >>= 8; r += 8; }
            if (x >= 1 << 4) { x >>= 4; r += 4; }
            if (x >= 1 << 2) { x >>= 2; r += 2; }
            if (x >= 1 << 1) { r += 1; }
        }
    }

    /// Pays the caller its pending withdrawals. Checks-effects-interactions: the balance is zeroed
    /// before the transfer, so a re-entrant claim finds nothing and reverts.
    function claim() external {
        uint256 amount = pendingWithdrawal[msg.sender];
        if (amount == 0) revert NothingToClaim();
        pendingWithdrawal[msg.sender] = 0;
        emit Claimed(msg.sender, amount);
        (bool ok, ) = payable(msg.sender).call{value: amount}("");
        if (!ok) revert TransferFailed();
    }
}
