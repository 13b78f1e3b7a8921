package io.ferry.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the control plane is and how to sign in, shared by the API commands: {@code --url} (else
 * {@code FERRY_URL}, else {@code http://127.0.0.1:8080}), a token from {@code FERRY_TOKEN} or
 * {@code --token-file} (never a command-line argument, which other users could read), and {@code --json}.
 */
public final class ApiOptions {
  @Option(names = "--url", description = "The control plane's URL (default: FERRY_URL, else http://127.0.0.1:8080).")
  String url;

  @Option(names = "--token-file", description = "A file holding the API token (default: the FERRY_TOKEN variable).")
  Path tokenFile;

  @Option(names = "--json", description = "Print the API's JSON instead of a table (for scripts).")
  boolean json;

  ApiClient client() {
    String base = url != null ? url : System.getenv().getOrDefault("FERRY_URL", "http://127.0.0.1:8080");
    String token = System.getenv("FERRY_TOKEN");
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new CliException(CliException.UNREACHABLE, "cannot read the token file " + tokenFile + ": " + e);
      }
    }
    if (token == null || token.isBlank()) {
      throw new CliException(CliException.UNREACHABLE, "no API token: set FERRY_TOKEN or give --token-file");
    }
    return new ApiClient(base, token);
  }

  boolean json() {
    return json;
  }
}
