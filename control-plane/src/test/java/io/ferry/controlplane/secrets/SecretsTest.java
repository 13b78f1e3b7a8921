package io.ferry.controlplane.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
  @TempDir
  Path dir;

  @Test
  void sealedPasswordsOpenOnlyWithTheirKeyAndRecord() throws Exception {
    Path keyFile = dir.resolve("keys/secret.key");
    SecretBox box = SecretBox.fromKeyFile(keyFile);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    byte[] sealed = box.seal("pw-Secret-123 ✓", "conn-1");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("pw-Secret-123");
    assertThat(box.open(sealed, "conn-1")).isEqualTo("pw-Secret-123 ✓");
    assertThat(SecretBox.fromKeyFile(keyFile).open(sealed, "conn-1")).isEqualTo("pw-Secret-123 ✓");
    assertThat(box.seal("same", "conn-1")).isNotEqualTo(box.seal("same", "conn-1"));
    assertThatThrownBy(() -> box.open(sealed, "conn-2")).hasMessageNotContaining("pw-Secret");
    assertThatThrownBy(() -> SecretBox.fromKeyFile(dir.resolve("other.key")).open(sealed, "conn-1"))
        .isInstanceOf(IllegalArgumentException.class);
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> box.open(sealed, "conn-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void argon2idHashesVerifyAndRejectInConstantTime() {
    PasswordHasher hasher = new PasswordHasher(1024, 1, 1); // small costs keep the unit test fast
    String hash = hasher.hash("token-abc");
    assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain("token-abc");
    assertThat(hasher.verify("token-abc", hash)).isTrue();
    assertThat(hasher.verify("token-abd", hash)).isFalse();
    assertThat(hasher.verify("token-abc", "$argon2id$v=19$broken")).isFalse();
    assertThat(hasher.hash("token-abc")).isNotEqualTo(hash);
  }
}
