package org.prostateed.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** CDS Hooks 2.0, Card Attributes: "uuid: Unique identifier of the card". */
class CardUuidTest {

  @Test
  void cardUuidsAreWellFormedRandomUuidsThatDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String text = EducationCards.newUuid();
      UUID uuid = UUID.fromString(text);
      assertThat(uuid.toString()).isEqualTo(text);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(seen.add(text)).as("repeated: " + text).isTrue();
    }
    // Each of the 122 random bits takes both values somewhere in the draws: none is stuck.
    long highOr = 0;
    long highAnd = -1;
    long lowOr = 0;
    long lowAnd = -1;
    for (String text : seen) {
      UUID uuid = UUID.fromString(text);
      highOr |= uuid.getMostSignificantBits();
      highAnd &= uuid.getMostSignificantBits();
      lowOr |= uuid.getLeastSignificantBits();
      lowAnd &= uuid.getLeastSignificantBits();
    }
    assertThat(highOr & ~0xF000L).isEqualTo(~0xF000L);
    assertThat(highAnd).isEqualTo(0x4000L);
    assertThat(lowOr & 0x3FFFFFFFFFFFFFFFL).isEqualTo(0x3FFFFFFFFFFFFFFFL);
    assertThat(lowAnd).isEqualTo(0x8000000000000000L);
  }
}
