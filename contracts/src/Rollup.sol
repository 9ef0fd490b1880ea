// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Poseidon2} from "./Poseidon2.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// The gnark-exported Groth16 verifier (`zkrollup verifier`): returns on a valid proof, reverts otherwise.
interface IBatchVerifier {
    function verifyProof(bytes calldata proof, uint256[4] calldata input) external view;
}

/// @title The zk-rollup's L1 contract (rollup or validium mode), protocol v3.
/// @notice The rules are docs/protocol.md, "L1 contract", "Protocol v2: owners, forced
/// withdrawals, exodus and exits" and "Protocol v3: tokens and a deployment-bound rollup id". The
/// contract holds the state root; the listed tokens (ETH is token 0, ERC-20 tokens get ids 1 …
/// 65,535 as the token governor lists them); a queue of priority requests (deposits and forced
/// withdrawals) with a rolling hash, which batches must consume in order; and, per token, the
/// withdrawals that committed batches, exits and refunds credited. A batch is accepted only with a
/// proof that verifies against the stored root. Once the oldest unconsumed request is older than
/// `priorityDeadline` blocks anyone may stop the rollup (exodus): batches, deposits and forced
/// withdrawals end, every account's owner takes out its balance in the last committed state with a
/// Merkle proof checked here (Poseidon2 in Solidity), and unconsumed deposits are refunded.
///
/// Who may call what: `listToken` is the token governor's alone. `deposit`, `depositToken`,
/// `forceWithdraw`, `commitBatch`, `activateExodus`, `refundDeposit` and `claimFor` are open to
/// anyone (what they do is fixed by their arguments, the proof or the queue, never by the caller's
/// identity, except that a forced withdrawal records its caller as the requester and the circuit
/// pays only an owner); `exit` and `claim` act for msg.sender only.
///
/// A token that misbehaves (returns false, reverts, re-enters, takes a fee on transfer) hurts only
/// its own holders: every token's money is counted apart (running totals, pending withdrawals),
/// transfers go through OpenZeppelin's SafeERC20, a deposit queues what the contract received, and
/// the functions that call a token (`depositToken`, `claim`, `claimFor`) are non-reentrant and
/// change state before they call out. Tokens that change balances on their own (rebasing) are not
/// supported (docs/decisions.md).
contract Rollup is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// BN254 scalar field modulus p: a key hash must be canonical (< p).
    uint256 internal constant FIELD_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// Deposits are below 2^104 units of their token: the public data's amount field of a deposit is 13 bytes.
    uint256 internal constant DEPOSIT_LIMIT = 1 << 104;
    /// All deposits ever made of one token sum to less than 2^128 units: L2 holds at most what was
    /// deposited, so no L2 balance can reach 2^128, the circuit's bound (a deposit that would overflow
    /// one could never be proven, and would block the queue behind it). 2^128 wei is about 3.4e20 ETH.
    uint256 internal constant TOTAL_DEPOSIT_LIMIT = 1 << 128;
    /// SHA-256(pubdata) mod 2^253 fits the field.
    uint256 internal constant HASH_MASK = (1 << 253) - 1;
    /// The public data's account indices are 4 bytes.
    uint8 internal constant MAX_DEPTH = 32;
    /// ETH is token 0; idHash = compress(keyHash, owner · 2^32 + token).
    uint16 internal constant TOKEN_ETH = 0;

    /// Header: rollupId (8) ‖ batchNumber (8) ‖ operator (4) ‖ fee (16) ‖ opCodes (⌈B/4⌉).
    uint256 internal constant OPCODES_OFFSET = 36;
    uint256 internal constant CHUNK = 10;
    /// Op code 2 is a priority op (its first byte is the kind), 3 a withdrawal.
    uint256 internal constant OP_PRIORITY = 2;
    uint256 internal constant PRIORITY_CHUNKS = 5;
    uint256 internal constant WITHDRAWAL_CHUNKS = 4;
    /// Kinds of a priority op: a deposit, a forced withdrawal paid, a forced withdrawal refused.
    uint8 internal constant KIND_DEPOSIT = 0;
    uint8 internal constant KIND_FORCED_PAID = 1;
    uint8 internal constant KIND_FORCED_REFUSED = 2;
    /// The high bit of every 2-bit op code in a 32-byte word of op codes.
    uint256 internal constant HIGH_BITS = 0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA;

    IBatchVerifier public immutable verifier;
    /// The id that batch headers and L2 signatures name: the first 8 bytes of
    /// keccak256(abi.encode(chainid, this contract's address)), so no two deployments share one
    /// (up to a 2^-64 chance) and a signature for one cannot be replayed on another.
    uint64 public immutable rollupId;
    /// B: slots per batch.
    uint16 public immutable slots;
    /// D: the state tree's depth (1 ≤ D ≤ 32); accounts are 0 … 2^D − 1.
    uint8 public immutable depth;
    /// Validium mode (docs/protocol.md, "Validium"): commitBatch receives the public data with zero
    /// transfer chunks followed by txHash (32 bytes), and hashes all of it. The proof binds txHash;
    /// the contract never reads it, and reads priority ops and withdrawals where rollup mode has them.
    bool public immutable validium;
    /// Blocks a priority request may wait: once the oldest unconsumed one is older, exodus may begin.
    uint64 public immutable priorityDeadline;
    /// The only address that may list tokens (a constructor argument: a multisig or timelock to
    /// govern listings that way; the zero address for an ETH-only rollup).
    address public immutable tokenGovernor;
    /// The operator's account of each token is (operatorKeyHash, operatorOwner, token): deployment
    /// creates the ETH one, and listing a token queues the deposit of 0 that creates the token's.
    bytes32 public immutable operatorKeyHash;
    address public immutable operatorOwner;

    /// What the contract keeps of each priority request besides its place in the rolling hash.
    struct RequestMeta {
        /// The block it was made in (its deadline counts from there).
        uint64 blockNumber;
        /// A deposit's refund commitment: the first 24 bytes of keccak256(depositor ‖ token (2) ‖ amount (32)); 0 for a forced withdrawal.
        bytes24 refundCommitment;
    }

    uint256 public stateRoot;
    uint64 public batchCount;
    /// Priority requests queued so far (deposit 0, the operator's, included).
    uint64 public requestCount;
    /// Priority requests taken by committed batches (always a prefix of the queue).
    uint64 public requestsConsumed;
    /// Whether exodus has begun (for good).
    bool public exodus;
    /// queueHash[0] = 0; queueHash[i+1] = keccak256(queueHash[i] ‖ request i's bytes).
    mapping(uint64 => bytes32) public queueHash;
    mapping(uint64 => RequestMeta) public requestMeta;
    /// Per token, what was credited to an address (by withdrawals, paid forced withdrawals, exits,
    /// refunds) and not yet claimed.
    mapping(uint16 => mapping(address => uint256)) public pendingWithdrawal;
    /// Per token, what was deposited so far, all deposits together (never decreases: withdrawals do
    /// not free room).
    mapping(uint16 => uint256) public totalDeposited;
    /// ERC-20 tokens listed so far: their ids are 1 … listedTokens.
    uint16 public listedTokens;
    /// The ERC-20 contract of each listed id (0 for ETH and for ids not listed).
    mapping(uint16 => address) public tokenAddress;
    /// The id of each listed ERC-20 contract (0 if not listed: no ERC-20 token has id 0).
    mapping(address => uint16) public tokenId;
    /// Accounts whose owner has exited.
    mapping(uint32 => bool) public exited;
    /// Deposit requests refunded in exodus.
    mapping(uint64 => bool) public refunded;
    /// The smallest deposit of each token (0: any amount ≥ 1), set by the token governor. A deposit
    /// costs the operator five circuit slots and, for a new account, a leaf of a tree of 2^depth:
    /// the minimum puts a price in capital on filling either (docs/decisions.md, "Deposit spam").
    mapping(uint16 => uint128) public minDeposit;
    /// Below MAX_DEPTH, the accounts deposits have made, by idHash, and how many: the node places a
    /// deposit at the account with its idHash or at the lowest empty leaf (every account comes
    /// from a deposit on an L1), so each new idHash takes one leaf, and a deposit that would need a
    /// leaf of a full tree is refused here instead of blocking the queue (docs/decisions.md,
    /// "Deposit spam"). Not kept at MAX_DEPTH, where 2^32 accounts cannot be paid for.
    mapping(bytes32 => bool) public accountMade;
    uint64 public accountsMade;

    /// The token governor listed the ERC-20 contract `token` as token `id`.
    event TokenListed(uint16 id, address indexed token);
    /// Request `index` is a deposit of `amount` units of `token` from `depositor` into the account
    /// (keyHash, owner, token), whose id hash is `idHash`.
    event Deposit(uint64 index, bytes32 keyHash, address indexed owner, uint16 token, bytes32 idHash, uint104 amount, address indexed depositor);
    /// Request `index` asks that `amount` of `account`'s `token` be paid to `requester` (the circuit
    /// pays it only if `requester` owns the account, the account holds `token` and has the balance).
    event ForcedWithdrawalRequested(uint64 index, uint32 account, uint16 token, address indexed requester, uint128 amount);
    event BatchCommitted(uint64 batchNumber, uint256 newRoot, uint256 pubdataHash);
    /// Exodus began because request `overdueRequest` was not consumed in time.
    event ExodusActivated(uint64 overdueRequest);
    /// `owner` exited `account` with `amount` of `token` (credited to its pending withdrawals).
    event Exited(uint32 account, uint16 token, address indexed owner, uint128 amount);
    /// Deposit request `index` was refunded to `depositor` (credited to its pending withdrawals of `token`).
    event DepositRefunded(uint64 index, address indexed depositor, uint16 token, uint256 amount);
    /// The token governor set the smallest deposit of `token`.
    event MinDepositSet(uint16 token, uint128 minimum);
    /// `amount` of `token` pending for `to` was paid to it.
    event Claimed(uint16 token, address to, uint256 amount);

    /// constructor: the depth is not 1 … 32.
    error DepthOutOfRange(uint8 depth);
    /// deposit, depositToken: msg.value, or what the contract received of the token, must be 1 .. 2^104 − 1.
    error DepositAmountOutOfRange(uint256 amount);
    /// deposit, depositToken: below the token's minimum deposit.
    error DepositBelowMinimum(uint16 token, uint256 minimum, uint256 amount);
    /// deposit, depositToken: the token's deposits together would reach 2^128.
    error DepositCapExceeded(uint16 token, uint256 totalDeposited, uint256 amount);
    /// deposit, depositToken, listToken: the deposit would make a new account, and all 2^depth
    /// leaves hold one.
    error TreeFull(uint64 accounts);
    /// deposit, depositToken: the key hash is not a canonical field element (≥ p).
    error KeyHashNotCanonical(bytes32 keyHash);
    /// deposit, depositToken: the owner is the zero address, which could never force a withdrawal or exit.
    error OwnerIsZero();
    /// listToken: only the token governor may list tokens.
    error NotTokenGovernor(address caller);
    /// listToken: the contract is listed already, as token `id`.
    error TokenAlreadyListed(address token, uint16 id);
    /// listToken: 65,535 tokens are listed, every 16-bit id but ETH's.
    error TooManyTokens();
    /// listToken: the address has no code, so it is no ERC-20 contract (and a transfer "from" it would succeed without moving anything).
    error NotAContract(address token);
    /// depositToken, forceWithdraw: no token has this id (depositToken: or it is 0, ETH, which deposit takes).
    error UnknownToken(uint16 token);
    /// forceWithdraw, exit: the account index is not below 2^depth.
    error AccountOutOfRange(uint32 account);
    /// forceWithdraw: the amount is 0.
    error ForcedWithdrawalAmountZero();
    /// commitBatch, deposit, depositToken, forceWithdraw, listToken, activateExodus: the contract is in exodus.
    error Exodus();
    /// commitBatch: pubdata is not header + B chunks (+ txHash in validium mode) long, an op runs past the last slot, or a priority op's kind is not 0, 1 or 2.
    error MalformedPubdata();
    /// commitBatch: the header names another rollup.
    error WrongRollup(uint64 expected, uint64 got);
    /// commitBatch: the header's batch number is not batchCount (a replay or a gap).
    error BatchOutOfOrder(uint64 expected, uint64 got);
    /// commitBatch: the proof does not verify for (stateRoot, newRoot, batchCount, pubdataHash).
    error InvalidProof();
    /// commitBatch: the batch consumes more priority requests than are queued.
    error TooManyRequests(uint64 queued, uint64 wanted);
    /// commitBatch: the batch's priority ops are not the next requests of the queue, in order.
    error RequestsMismatch();
    /// activateExodus: every request is consumed.
    error NoPendingRequest();
    /// activateExodus: the oldest unconsumed request (`index`) is not overdue before block `deadline` + 1.
    error DeadlineNotPassed(uint64 index, uint256 deadline);
    /// exit, refundDeposit: only in exodus.
    error NotInExodus();
    /// exit: the proof has not `depth` siblings.
    error WrongProofLength(uint256 expected, uint256 got);
    /// exit: the account has exited already.
    error AlreadyExited(uint32 account);
    /// exit: the leaf of (keyHash, msg.sender, token, balance, nonce) at `account` with these siblings is not the state root.
    error ExitProofInvalid();
    /// refundDeposit: a committed batch consumed the request.
    error RequestConsumed(uint64 index);
    /// refundDeposit: there is no request `index`.
    error NoSuchRequest(uint64 index);
    /// refundDeposit: request `index` is a forced withdrawal.
    error NotADeposit(uint64 index);
    /// refundDeposit: the deposit was refunded already.
    error AlreadyRefunded(uint64 index);
    /// refundDeposit: (depositor, token, amount) is not what the deposit's refund commitment binds.
    error RefundMismatch(uint64 index);
    /// claim, claimFor: nothing of the token is pending for the address.
    error NothingToClaim();
    /// claim, claimFor: the address refused the ETH. (A token transfer that fails reverts with
    /// SafeERC20's SafeERC20FailedOperation(token), or with the token's own error.)
    error TransferFailed();

    /// Deploys the rollup and queues request 0: the operator's deposit of 0 wei into the account
    /// (operatorKeyHash, owner: the deployer, ETH), which creates the operator's account (batch 0
    /// consumes it; every batch credits fees to the operator's account of the batch's fee token).
    /// The rollup id is derived here, never chosen by the deployer.
    /// @param tokenGovernor_ the only address that may list ERC-20 tokens (0: none ever can)
    constructor(
        IBatchVerifier verifier_,
        uint16 slots_,
        uint8 depth_,
        bool validium_,
        uint64 priorityDeadline_,
        uint256 genesisRoot,
        bytes32 operatorKeyHash_,
        address tokenGovernor_
    ) {
        if (depth_ == 0 || depth_ > MAX_DEPTH) revert DepthOutOfRange(depth_);
        if (uint256(operatorKeyHash_) >= FIELD_MODULUS) revert KeyHashNotCanonical(operatorKeyHash_);
        verifier = verifier_;
        rollupId = uint64(bytes8(keccak256(abi.encode(block.chainid, address(this)))));
        slots = slots_;
        depth = depth_;
        validium = validium_;
        priorityDeadline = priorityDeadline_;
        tokenGovernor = tokenGovernor_;
        operatorKeyHash = operatorKeyHash_;
        operatorOwner = msg.sender;
        stateRoot = genesisRoot;
        _deposit(operatorKeyHash_, msg.sender, TOKEN_ETH, 0);
    }

    // ------------------------------------------------------------------ tokens

    /// Sets the smallest deposit of `token` (ETH is 0; a listed id otherwise) to `minimum`; deposits
    /// already queued are not affected. Only the token governor may.
    function setMinDeposit(uint16 token, uint128 minimum) external {
        if (msg.sender != tokenGovernor) revert NotTokenGovernor(msg.sender);
        if (token > listedTokens) revert UnknownToken(token);
        minDeposit[token] = minimum;
        emit MinDepositSet(token, minimum);
    }

    /// Lists the ERC-20 contract `token` under the next id (1, 2, …) and queues the deposit of 0
    /// that creates the operator's account of the token (operatorKeyHash, operatorOwner, id), which
    /// batches whose fee token it is credit. Only the token governor may list: a listed token's
    /// deposits enter the priority queue, which every batch must serve by the deadline, so listing
    /// is a decision about what the operator must carry, made once per token and for good.
    /// @return id the token's id
    function listToken(address token) external returns (uint16 id) {
        if (msg.sender != tokenGovernor) revert NotTokenGovernor(msg.sender);
        if (exodus) revert Exodus();
        uint16 listed = tokenId[token];
        if (listed != 0) revert TokenAlreadyListed(token, listed);
        if (token.code.length == 0) revert NotAContract(token);
        listed = listedTokens;
        if (listed == type(uint16).max) revert TooManyTokens();
        id = listed + 1;
        listedTokens = id;
        tokenAddress[id] = token;
        tokenId[token] = id;
        emit TokenListed(id, token);
        _deposit(operatorKeyHash, operatorOwner, id, 0);
    }

    // ------------------------------------------------------------------ priority requests

    /// Queues a deposit of msg.value wei into the ETH account (keyHash, owner): the node places it at
    /// the account with that idHash, or at the lowest empty leaf. `owner` is the only L1 address that
    /// may force a withdrawal from the account or exit it. If no batch consumes the deposit before
    /// exodus, refundDeposit returns it to msg.sender.
    function deposit(bytes32 keyHash, address owner) external payable {
        if (exodus) revert Exodus();
        if (msg.value == 0 || msg.value >= DEPOSIT_LIMIT) revert DepositAmountOutOfRange(msg.value);
        if (msg.value < minDeposit[TOKEN_ETH]) revert DepositBelowMinimum(TOKEN_ETH, minDeposit[TOKEN_ETH], msg.value);
        _checkAccount(keyHash, owner);
        _count(TOKEN_ETH, msg.value);
        _deposit(keyHash, owner, TOKEN_ETH, uint104(msg.value));
    }

    /// Takes `amount` of the listed ERC-20 token `token` from msg.sender (which must have approved
    /// this contract for it) and queues a deposit, into the account (keyHash, owner, token), of what
    /// this contract's balance of the token grew by: a token that takes a fee on transfer credits L2
    /// with what arrived, never more. That must be 1 … 2^104 − 1, and the token's deposits together
    /// stay below 2^128. Non-reentrant: a token that calls back into a deposit from its transferFrom
    /// would otherwise have both counted in the outer balance difference. If no batch consumes the
    /// deposit before exodus, refundDeposit returns it to msg.sender.
    function depositToken(uint16 token, uint128 amount, bytes32 keyHash, address owner) external nonReentrant {
        if (exodus) revert Exodus();
        // ETH (token 0) and ids not listed have no address.
        address erc20 = tokenAddress[token];
        if (erc20 == address(0)) revert UnknownToken(token);
        _checkAccount(keyHash, owner);
        uint256 before = IERC20(erc20).balanceOf(address(this));
        IERC20(erc20).safeTransferFrom(msg.sender, address(this), amount);
        uint256 balance = IERC20(erc20).balanceOf(address(this));
        // A token may lower this contract's balance in its transferFrom (it misbehaves): nothing arrived.
        uint256 received = balance > before ? balance - before : 0;
        if (received == 0 || received >= DEPOSIT_LIMIT) revert DepositAmountOutOfRange(received);
        // What arrived, as for the credit: a fee on transfer cannot slip a deposit under the minimum.
        if (received < minDeposit[token]) revert DepositBelowMinimum(token, minDeposit[token], received);
        _count(token, received);
        _deposit(keyHash, owner, token, uint104(received));
    }

    function _checkAccount(bytes32 keyHash, address owner) private pure {
        if (uint256(keyHash) >= FIELD_MODULUS) revert KeyHashNotCanonical(keyHash);
        if (owner == address(0)) revert OwnerIsZero();
    }

    /// Adds `amount` to the token's running total, which must stay below 2^128.
    function _count(uint16 token, uint256 amount) private {
        uint256 total = totalDeposited[token] + amount;
        if (total >= TOTAL_DEPOSIT_LIMIT) revert DepositCapExceeded(token, totalDeposited[token], amount);
        totalDeposited[token] = total;
    }

    function _deposit(bytes32 keyHash, address owner, uint16 token, uint104 amount) private {
        bytes32 idHash = bytes32(Poseidon2.compress(uint256(keyHash), (uint256(uint160(owner)) << 32) | token));
        if (depth < MAX_DEPTH && !accountMade[idHash]) {
            uint64 made = accountsMade;
            if (made >> depth != 0) revert TreeFull(made);
            accountMade[idHash] = true;
            accountsMade = made + 1;
        }
        bytes24 refund = bytes24(keccak256(abi.encodePacked(msg.sender, token, uint256(amount))));
        uint64 i = _enqueue(abi.encodePacked(KIND_DEPOSIT, idHash, bytes13(amount)), refund);
        emit Deposit(i, keyHash, owner, token, idHash, amount, msg.sender);
    }

    /// Asks that `amount` of `token` in `account` be paid out to msg.sender on L1. Anyone may ask:
    /// the circuit pays it only if msg.sender is the account's owner, the account holds `token` and
    /// the balance covers it, and otherwise processes it as refused; either way the next batches
    /// must consume it in order, by the deadline.
    function forceWithdraw(uint32 account, uint16 token, uint128 amount) external {
        if (exodus) revert Exodus();
        if (account >> depth != 0) revert AccountOutOfRange(account);
        if (token > listedTokens) revert UnknownToken(token);
        if (amount == 0) revert ForcedWithdrawalAmountZero();
        uint64 i = _enqueue(abi.encodePacked(KIND_FORCED_PAID, account, token, msg.sender, amount), bytes24(0));
        emit ForcedWithdrawalRequested(i, account, token, msg.sender, amount);
    }

    /// Appends a request to the queue: extends the rolling hash over its bytes and records its block.
    function _enqueue(bytes memory request, bytes24 refund) private returns (uint64 i) {
        i = requestCount;
        queueHash[i + 1] = keccak256(abi.encodePacked(queueHash[i], request));
        requestMeta[i] = RequestMeta(uint64(block.number), refund);
        requestCount = i + 1;
    }

    // ------------------------------------------------------------------ batches

    /// Commits the next batch.
    /// Permissionless on purpose: anyone may call it, because the proof is what authorises a batch.
    /// The proof binds oldRoot (from storage), newRoot, the batch number and the hash of exactly
    /// these public data, so a caller can only post a transition the circuit accepted; the
    /// operator's identity is in the header and fees go to its L2 account, not to msg.sender.
    function commitBatch(bytes calldata pubdata, uint256 newRoot, bytes calldata proof) external {
        if (exodus) revert Exodus();
        uint256 b = slots;
        uint256 chunks = OPCODES_OFFSET + (b + 3) / 4; // where chunk 0 starts
        if (pubdata.length != chunks + CHUNK * b + (validium ? 32 : 0)) revert MalformedPubdata();

        uint64 headerRollup = uint64(bytes8(pubdata[0:8]));
        if (headerRollup != rollupId) revert WrongRollup(rollupId, headerRollup);
        uint64 batchNumber = uint64(bytes8(pubdata[8:16]));
        uint64 expected = batchCount;
        if (batchNumber != expected) revert BatchOutOfOrder(expected, batchNumber);

        uint256 pubdataHash = uint256(sha256(pubdata)) & HASH_MASK;
        // oldRoot comes from storage, never from calldata.
        try verifier.verifyProof(proof, [stateRoot, newRoot, uint256(expected), pubdataHash]) {}
        catch {
            revert InvalidProof();
        }

        uint64 consumed = requestsConsumed;
        (bytes32 rolling, uint64 taken) = _walk(pubdata, chunks, b, queueHash[consumed]);
        if (taken > 0) {
            uint64 queued = requestCount;
            if (consumed + taken > queued) revert TooManyRequests(queued - consumed, taken);
            if (rolling != queueHash[consumed + taken]) revert RequestsMismatch();
            requestsConsumed = consumed + taken;
        }

        stateRoot = newRoot;
        batchCount = expected + 1;
        emit BatchCommitted(batchNumber, newRoot, pubdataHash);
    }

    /// Walks the op codes: extends `rolling` over the priority ops and credits the withdrawals and
    /// the paid forced withdrawals, in slot order. Priority ops (2) and withdrawals (3) are the codes
    /// whose high bit is set; transfers (1), padding and continuation chunks (0) have it clear. So the
    /// walk reads the op codes 32 bytes (128 slots) at a time and visits only the slots with that bit:
    /// a batch of transfers costs one word read per 128 slots, and B adds almost nothing beyond calldata.
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
                    if ((word >> (bit - 1)) & 3 == OP_PRIORITY) {
                        rolling = _priorityOp(pubdata, chunks + CHUNK * slot, slot, b, rolling);
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

    /// Extends the queue's rolling hash over the priority op whose chunk starts at `o`, and credits
    /// a paid forced withdrawal to its requester.
    ///   deposit                     0x00 ‖ to (4) ‖ amount (13) ‖ idHash (32)        request bytes 0x00 ‖ idHash ‖ amount
    ///   forced withdrawal paid      0x01 ‖ account (4) ‖ token (2) ‖ requester (20) ‖ amount (16) ‖ 0 (7)
    ///   forced withdrawal refused   0x02 ‖ the same       request bytes of both: 0x01 ‖ account ‖ token ‖ requester ‖ amount
    function _priorityOp(bytes calldata pubdata, uint256 o, uint256 slot, uint256 b, bytes32 rolling) private returns (bytes32) {
        if (slot + PRIORITY_CHUNKS > b) revert MalformedPubdata();
        uint8 kind = uint8(pubdata[o]);
        if (kind == KIND_DEPOSIT) {
            // `to` is the node's choice and L1 ignores it.
            return keccak256(abi.encodePacked(rolling, KIND_DEPOSIT, bytes32(pubdata[o + 18:o + 50]), bytes13(pubdata[o + 5:o + 18])));
        }
        if (kind > KIND_FORCED_REFUSED) revert MalformedPubdata();
        if (kind == KIND_FORCED_PAID) {
            uint16 token = uint16(bytes2(pubdata[o + 5:o + 7]));
            address requester = address(bytes20(pubdata[o + 7:o + 27]));
            pendingWithdrawal[token][requester] += uint128(bytes16(pubdata[o + 27:o + 43]));
        }
        // Paid or refused, the request was the same: the hash covers it with kind 1.
        return keccak256(abi.encodePacked(rolling, KIND_FORCED_PAID, pubdata[o + 1:o + 43]));
    }

    /// Credits the withdrawal whose chunk starts at `o` to its L1 address, in its token. The token
    /// needs no check: it is the sender account's, and accounts exist only for listed tokens (an
    /// account is created by a deposit, which L1 takes only of a listed token).
    function _withdrawal(bytes calldata pubdata, uint256 o, uint256 slot, uint256 b) private {
        if (slot + WITHDRAWAL_CHUNKS > b) revert MalformedPubdata();
        // from (4) ‖ token (2) ‖ l1Address (20) ‖ amount (14)
        uint16 token = uint16(bytes2(pubdata[o + 4:o + 6]));
        address to = address(bytes20(pubdata[o + 6:o + 26]));
        pendingWithdrawal[token][to] += uint112(bytes14(pubdata[o + 26:o + 40]));
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

    // ------------------------------------------------------------------ exodus

    /// Stops the rollup for good, once the oldest unconsumed priority request is older than
    /// `priorityDeadline` blocks: the operator has failed to process it. Anyone may call it.
    function activateExodus() external {
        if (exodus) revert Exodus();
        uint64 oldest = requestsConsumed;
        if (oldest == requestCount) revert NoPendingRequest();
        uint256 deadline = uint256(requestMeta[oldest].blockNumber) + priorityDeadline;
        if (block.number <= deadline) revert DeadlineNotPassed(oldest, deadline);
        exodus = true;
        emit ExodusActivated(oldest);
    }

    /// In exodus, credits msg.sender with the balance of its account in the last committed state:
    /// the leaf compress(compress(keyHash, msg.sender · 2^32 + token), balance · 2^64 + nonce) at
    /// `account`, with `siblings` bottom-up, must hash to stateRoot. Once per account (an account
    /// holds one token). The credit is claimed with claim(token).
    function exit(uint32 account, bytes32 keyHash, uint16 token, uint128 balance, uint64 nonce, bytes32[] calldata siblings) external {
        if (!exodus) revert NotInExodus();
        uint256 d = depth;
        // Without this check account and account + 2^D would open the same leaf and exit it twice.
        if (account >> d != 0) revert AccountOutOfRange(account);
        if (siblings.length != d) revert WrongProofLength(d, siblings.length);
        if (exited[account]) revert AlreadyExited(account);

        uint256 idHash = Poseidon2.compress(uint256(keyHash), (uint256(uint160(msg.sender)) << 32) | token);
        uint256 node = Poseidon2.compress(idHash, (uint256(balance) << 64) | nonce);
        for (uint256 level; level < d; ) {
            uint256 sibling = uint256(siblings[level]);
            // Index bit `level` chooses the side: 0, the path goes through the left child.
            node = (account >> level) & 1 == 0 ? Poseidon2.compress(node, sibling) : Poseidon2.compress(sibling, node);
            unchecked {
                ++level;
            }
        }
        if (node != stateRoot) revert ExitProofInvalid();

        exited[account] = true;
        pendingWithdrawal[token][msg.sender] += balance;
        emit Exited(account, token, msg.sender, balance);
    }

    /// In exodus, credits a deposit that no batch consumed back to its depositor, in its token,
    /// once. Anyone may call it; the refund goes to `depositor` only if (depositor, token, amount)
    /// matches the deposit's refund commitment. The credit is claimed with claim(token).
    function refundDeposit(uint64 index, address depositor, uint16 token, uint256 amount) external {
        if (!exodus) revert NotInExodus();
        if (index < requestsConsumed) revert RequestConsumed(index);
        if (index >= requestCount) revert NoSuchRequest(index);
        bytes24 commitment = requestMeta[index].refundCommitment;
        if (commitment == bytes24(0)) revert NotADeposit(index);
        if (refunded[index]) revert AlreadyRefunded(index);
        if (commitment != bytes24(keccak256(abi.encodePacked(depositor, token, amount)))) revert RefundMismatch(index);

        refunded[index] = true;
        pendingWithdrawal[token][depositor] += amount;
        emit DepositRefunded(index, depositor, token, amount);
    }

    // ------------------------------------------------------------------ claims

    /// Pays the caller what is pending for it in `token` (0: ETH).
    function claim(uint16 token) external nonReentrant {
        _pay(token, msg.sender);
    }

    /// Pays `to` what is pending for it in `token`, so that a credit to a contract that cannot call
    /// claim() is not stuck. Anyone may call it; the payment goes only to `to`.
    function claimFor(uint16 token, address to) external nonReentrant {
        _pay(token, to);
    }

    /// Checks-effects-interactions, and non-reentrant besides: the amount is zeroed before the
    /// transfer. A transfer that fails (ETH refused; a token that reverts or returns false) reverts
    /// the claim, so the amount stays pending, and touches nothing else: each token's pending amounts
    /// are its own.
    function _pay(uint16 token, address to) private {
        uint256 amount = pendingWithdrawal[token][to];
        if (amount == 0) revert NothingToClaim();
        pendingWithdrawal[token][to] = 0;
        emit Claimed(token, to, amount);
        if (token == TOKEN_ETH) {
            (bool ok, ) = payable(to).call{value: amount}("");
            if (!ok) revert TransferFailed();
        } else {
            IERC20(tokenAddress[token]).safeTransfer(to, amount);
        }
    }
}
