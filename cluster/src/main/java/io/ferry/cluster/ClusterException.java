package io.ferry.cluster;

/**
 * A cluster setting, credential or start-up problem, with a message meant for the operator: it names
 * the environment variable, file or command involved, and never a secret.
 */
public class ClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterException(String message) {
    super(message);
  }

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
