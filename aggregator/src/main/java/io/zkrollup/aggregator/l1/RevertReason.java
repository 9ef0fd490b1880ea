package io.zkrollup.aggregator.l1;

import com.fasterxml.jackson.core.type.TypeReference;
import io.zkrollup.aggregator.l1.contract.Rollup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.crypto.Hash;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.AbiDefinition;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.utils.Numeric;

/**
 * Names a revert the way Rollup.sol declares it: {@code BatchOutOfOrder(3, 2)}. The custom errors
 * come from the ABI the build compiled from {@code contracts/src/Rollup.sol} (a resource beside the
 * generated {@link Rollup} binding), so a new or changed error needs no Java change. web3j 4.13's
 * wrapper generator does not emit custom errors, hence the ABI.
 */
public final class RevertReason {

  /** The ABI resource the aggregator build copies next to the generated binding. */
  static final String ABI_RESOURCE = "Rollup.abi";

  /** {@code Error(string)}: Solidity's {@code require(…, "message")}. */
  private static final String ERROR_STRING_SELECTOR = "08c379a0";

  private static final Pattern HEX_DATA = Pattern.compile("0x[0-9a-fA-F]{8,}");

  private static final Map<String, AbiDefinition> ERRORS = errors();

  private RevertReason() {}

  private static Map<String, AbiDefinition> errors() {
    try (InputStream in = Rollup.class.getResourceAsStream(ABI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(ABI_RESOURCE + " is not beside " + Rollup.class.getName() + " (the aggregator build puts it there)");
      }
      List<AbiDefinition> abi = ObjectMapperFactory.getObjectMapper().readValue(in, new TypeReference<List<AbiDefinition>>() {});
      Map<String, AbiDefinition> bySelector = new HashMap<>();
      for (AbiDefinition d : abi) {
        if ("error".equals(d.getType())) {
          bySelector.put(Hash.sha3String(signature(d)).substring(2, 10), d);
        }
      }
      return Map.copyOf(bySelector);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ABI_RESOURCE, e);
    }
  }

  private static String signature(AbiDefinition d) {
    List<String> types = new ArrayList<>();
    for (AbiDefinition.NamedType t : d.getInputs()) {
      types.add(t.getType());
    }
    return d.getName() + "(" + String.join(",", types) + ")";
  }

  /** The custom errors Rollup.sol declares, by signature ({@code BatchOutOfOrder(uint64,uint64)}). */
  public static List<String> declared() {
    return ERRORS.values().stream().map(RevertReason::signature).sorted().toList();
  }

  /**
   * The revert of an {@code eth_call} or {@code eth_estimateGas} answer, named: a custom error of
   * Rollup.sol with its arguments, {@code Error(message)}, or the node's message; empty if the
   * answer is not a revert (a result, or an error of the RPC itself).
   */
  public static Optional<String> of(Response<?> answer) {
    if (answer instanceof EthCall call && !call.hasError()) {
      return call.isReverted() ? Optional.of("Error(" + call.getRevertReason() + ")") : Optional.empty();
    }
    if (!answer.hasError()) {
      return Optional.empty();
    }
    Response.Error error = answer.getError();
    String data = error.getData();
    if (data != null) {
      data = data.replace("\"", "");
    }
    if (data == null || !data.startsWith("0x")) {
      // Some nodes put the revert data only in the message ("execution reverted: 0x…").
      Matcher m = HEX_DATA.matcher(String.valueOf(error.getMessage()));
      data = m.find() ? m.group() : null;
    }
    if (data != null) {
      return Optional.of(decode(data));
    }
    String message = error.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains("revert") ? Optional.of(message) : Optional.empty();
  }

  /**
   * {@code Name(arg, …)} for revert data (0x-hex): a custom error of Rollup.sol's ABI, {@code
   * Error(message)}, or {@code revert 0x…} for anything else.
   */
  @SuppressWarnings({"rawtypes", "unchecked"}) // web3j's decoder takes and returns raw Type lists
  public static String decode(String hexData) {
    String hex = Numeric.cleanHexPrefix(hexData).toLowerCase(Locale.ROOT);
    if (hex.length() < 8) {
      return "revert 0x" + hex;
    }
    String selector = hex.substring(0, 8);
    String args = hex.substring(8);
    try {
      if (selector.equals(ERROR_STRING_SELECTOR)) {
        List<Type> message = FunctionReturnDecoder.decode(args, List.of(org.web3j.abi.TypeReference.makeTypeReference("string")));
        return "Error(" + ((Utf8String) message.get(0)).getValue() + ")";
      }
      AbiDefinition error = ERRORS.get(selector);
      if (error == null) {
        return "revert 0x" + hex;
      }
      List<org.web3j.abi.TypeReference<Type>> types = new ArrayList<>();
      for (AbiDefinition.NamedType t : error.getInputs()) {
        types.add(org.web3j.abi.TypeReference.makeTypeReference(t.getType()));
      }
      List<String> values = new ArrayList<>();
      for (Type value : FunctionReturnDecoder.decode(args, types)) {
        values.add(value.getValue() instanceof byte[] bytes ? Numeric.toHexString(bytes) : String.valueOf(value.getValue()));
      }
      return error.getName() + "(" + String.join(", ", values) + ")";
    } catch (ClassNotFoundException | RuntimeException e) {
      return "revert 0x" + hex; // arguments that do not decode: say what came back
    }
  }
}
