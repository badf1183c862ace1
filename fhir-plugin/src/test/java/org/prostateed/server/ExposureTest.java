package org.prostateed.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: "the embedded server binds to 127.0.0.1 by default; binding elsewhere without an
 * authorisation set-up refuses to start unless an explicit flag accepts the risk."
 */
class ExposureTest {

  private static ServerSettings on(String host, boolean accept) {
    return new ServerSettings("127.0.0.1", 0, StoreSettings.h2File(Path.of("unused")), Optional.empty(), false)
        .boundTo(host, accept);
  }

  @Test
  void loopbackNeedsNoFlag() {
    assertThatCode(() -> EmbeddedServer.checkExposure(on("127.0.0.1", false))).doesNotThrowAnyException();
    assertThatCode(() -> EmbeddedServer.checkExposure(on("localhost", false))).doesNotThrowAnyException();
  }

  @Test
  void anyOtherAddressIsRefusedWithoutTheFlag() {
    assertThatThrownBy(() -> EmbeddedServer.start(on("0.0.0.0", false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusing to bind 0.0.0.0")
        .hasMessageContaining("--accept-network-exposure");
  }

  @Test
  void theFlagAcceptsTheRisk() {
    assertThatCode(() -> EmbeddedServer.checkExposure(on("0.0.0.0", true))).doesNotThrowAnyException();
  }
}
