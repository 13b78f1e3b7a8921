package io.ferry.protocol;

/**
 * The version of the event-bus contract. Every encoded message carries it as {@code "v"}, and a worker
 * states it when it registers.
 *
 * <p>Adding an optional field or a new message type does not change the version (decoders ignore
 * unknown fields); renaming, removing or changing the meaning of a field does, and then
 * {@link #MIN_COMPATIBLE} says which older peers can still be served.
 */
public final class ProtocolVersion {
  /** The version this build speaks. */
  public static final int CURRENT = 1;
  /** The oldest version this build still understands. */
  public static final int MIN_COMPATIBLE = 1;

  private ProtocolVersion() {}

  /** True when a peer speaking {@code version} can talk to this build. */
  public static boolean isCompatible(int version) {
    return version >= MIN_COMPATIBLE && version <= CURRENT;
  }

  /** Returns {@code version} when compatible, else throws {@link ProtocolException} (reason INCOMPATIBLE_VERSION). */
  public static int requireCompatible(int version) {
    if (!isCompatible(version)) {
      throw new ProtocolException(ProtocolException.Reason.INCOMPATIBLE_VERSION, "v",
          "protocol version " + version + " is not supported; this build speaks " + describe());
    }
    return version;
  }

  /** {@code "1"} or {@code "1..3"}: the versions this build accepts, for error messages. */
  public static String describe() {
    return MIN_COMPATIBLE == CURRENT ? Integer.toString(CURRENT) : MIN_COMPATIBLE + ".." + CURRENT;
  }
}
