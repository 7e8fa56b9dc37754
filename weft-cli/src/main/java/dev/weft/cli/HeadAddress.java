package dev.weft.cli;

import picocli.CommandLine.Option;

/** The {@code --address} option of the commands that ask a running cluster (a picocli mixin). */
final class HeadAddress {
  @Option(
      names = "--address",
      description = "Head address host:port (default: WEFT_ADDRESS, else 127.0.0.1:7380).")
  String address;
}
