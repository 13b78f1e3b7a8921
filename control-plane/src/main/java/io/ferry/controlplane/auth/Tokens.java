package io.ferry.controlplane.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens: {@code fy_} and 43 URL-safe base64 characters (32 bytes from {@link SecureRandom}).
 * Only a SHA-256 hash is stored — a token carries 256 random bits, so a slow hash would add nothing but
 * latency to every request — and the first {@value #LOOKUP_CHARS} characters find the candidate rows.
 */
public final class Tokens {
  public static final String PREFIX = "fy_";
  /** Length of the {@code token_prefix} column's value. */
  public static final int LOOKUP_CHARS = 12;
  /** The shortest token accepted from outside ({@code FERRY_ADMIN_TOKEN}). */
  public static final int MIN_LENGTH = 16;
  private static final int RANDOM_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  public static String generate() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String lookupPrefix(String token) {
    return token.substring(0, Math.min(LOOKUP_CHARS, token.length()));
  }

  public static String hash(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Constant-time comparison of a presented token with a stored hash. */
  public static boolean matches(String token, String storedHash) {
    return storedHash != null && MessageDigest.isEqual(hash(token).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  /** Whether a header value could be a token at all (printable ASCII, bounded), before any lookup. */
  public static boolean plausible(String token) {
    return token != null && token.length() >= MIN_LENGTH && token.length() <= 256
        && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}
