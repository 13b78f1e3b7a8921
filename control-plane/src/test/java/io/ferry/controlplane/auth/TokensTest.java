package io.ferry.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokensTest {
  @Test
  void tokensAreLongRandomAndRecognisable() {
    String a = Tokens.generate();
    String b = Tokens.generate();
    assertThat(a).startsWith("fy_").hasSize(3 + 43).matches("fy_[A-Za-z0-9_-]{43}").isNotEqualTo(b);
    assertThat(Tokens.lookupPrefix(a)).hasSize(Tokens.LOOKUP_CHARS).isEqualTo(a.substring(0, 12));
  }

  @Test
  void onlyTheHashIsKeptAndItMatchesOnlyItsToken() {
    String token = Tokens.generate();
    String hash = Tokens.hash(token);
    assertThat(hash).startsWith("sha256:").hasSize(7 + 64).doesNotContain(token.substring(3));
    assertThat(Tokens.matches(token, hash)).isTrue();
    assertThat(Tokens.matches(token + "x", hash)).isFalse();
    assertThat(Tokens.matches(token, null)).isFalse();
  }

  @Test
  void theBearerHeaderIsParsedStrictly() {
    String token = Tokens.generate();
    assertThat(TokenAuth.bearer("Bearer " + token)).isEqualTo(token);
    assertThat(TokenAuth.bearer("bearer " + token)).isEqualTo(token);
    assertThat(TokenAuth.bearer("Basic " + token)).isNull();
    assertThat(TokenAuth.bearer("Bearer short")).isNull();
    assertThat(TokenAuth.bearer("Bearer " + token + " extra")).isNull();
    assertThat(TokenAuth.bearer("Bearer " + "x".repeat(300))).isNull();
    assertThat(TokenAuth.bearer(null)).isNull();
  }
}
