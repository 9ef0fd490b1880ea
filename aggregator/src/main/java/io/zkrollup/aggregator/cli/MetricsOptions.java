package io.zkrollup.aggregator.cli;

import picocli.CommandLine.Option;

/** Where a process serves its Prometheus metrics (a picocli mixin of node and worker). */
final class MetricsOptions {

  @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address of the /metrics endpoint (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "-1", description = "Serve Prometheus metrics at /metrics on this port: -1 off (default), 0 a free one.")
  int port;

  /** Whether the endpoint is on. */
  boolean enabled() {
    return port >= 0;
  }
}
