package io.zkrollup.aggregator.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Expands {@code --config FILE} of a command into options: each {@code key = value} line of the
 * properties file becomes {@code --key=value}, placed before the command's own options so that
 * flags given on the command line win.
 */
final class ConfigFileArgs {

  private ConfigFileArgs() {}

  static String[] expand(String[] args) {
    // The wallet's options live on its sub-commands, which read their own --config (WalletCommand.WalletConfig).
    if (args.length == 0 || args[0].equals("wallet")) {
      return args;
    }
    String file = null;
    List<String> rest = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = args[++i];
      } else if (args[i].startsWith("--config=")) {
        file = args[i].substring("--config=".length());
      } else {
        rest.add(args[i]);
      }
    }
    if (file == null) {
      return args;
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(file))) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    List<String> out = new ArrayList<>();
    out.add(args[0]);
    for (String key : new TreeSet<>(props.stringPropertyNames())) {
      out.add("--" + key + "=" + props.getProperty(key).strip());
    }
    out.addAll(rest);
    return out.toArray(String[]::new);
  }
}
