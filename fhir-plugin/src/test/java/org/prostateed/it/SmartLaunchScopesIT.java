package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/**
 * Issue 26, SMART App Launch 2: "The app asks v2 scopes (patient/Condition.rs and the other
 * resources it reads; user/QuestionnaireResponse.cu and the others it writes), and falls back to v1
 * scopes when the EHR's .well-known/smart-configuration capabilities lacks permission-v2; the
 * browser test launches against mock-oauth2-server with each configuration."
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmartLaunchScopesIT {

  private MockOAuth2Server authorization;
  private WebDriver browser;
  private Path dir;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    this.dir = dir;
    browser = HeadlessChromium.start(dir);
    authorization = new MockOAuth2Server();
    authorization.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (authorization != null) {
      authorization.shutdown();
    }
  }

  @Test
  void anEhrAnnouncingV2GetsV2ScopesAndTheLaunchOpensTheEncounter() throws Exception {
    List<String> scopes = launchAgainst(Set.of("v2"), "v2-only");

    assertThat(scopes).contains("launch", "openid", "fhirUser", "patient/Condition.rs", "patient/Observation.rs",
        "patient/Encounter.rs", "user/QuestionnaireResponse.cu", "user/DocumentReference.cu", "user/Observation.cu");
    assertThat(scopes).noneMatch(scope -> scope.endsWith(".read") || scope.endsWith(".write"));
  }

  @Test
  void anEhrAnnouncingOnlyV1GetsTheV1ScopesTheyMapTo() throws Exception {
    List<String> scopes = launchAgainst(Set.of("v1"), "v1-only");

    assertThat(scopes).contains("launch", "openid", "fhirUser", "patient/Condition.read", "patient/Observation.read",
        "patient/Encounter.read", "patient/QuestionnaireResponse.read", "user/QuestionnaireResponse.write",
        "user/DocumentReference.write", "user/Observation.write");
    assertThat(scopes).noneMatch(scope -> scope.matches(".*\\.[cruds]+$"));
  }

  /** A SMART EHR launch of the app against an embedded server announcing these scope versions. */
  private List<String> launchAgainst(Set<String> permissions, String name) throws Exception {
    try (EmbeddedServer server = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0,
        StoreSettings.h2File(dir.resolve(name)), Optional.empty(), true)
        .withSmartIssuer(authorization.issuerUrl("ehr").toString()).withSmartPermissions(permissions))) {
      String base = "http://127.0.0.1:" + server.port();
      authorization.enqueueCallback(new DefaultOAuth2TokenCallback("ehr", "clinician-1", "JWT",
          List.of("prostate-education"), Map.of("patient", "demo-psa", "encounter", "demo-psa-enc",
              "fhirUser", "Practitioner/demo-practitioner"), 3600L));
      browser.get(base + "/app/launch?iss=" + URLEncoder.encode(base + "/fhir", StandardCharsets.UTF_8)
          + "&launch=launch-" + name);
      new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElements(
          By.cssSelector("#questionnaire fieldset")).stream().anyMatch(WebElement::isDisplayed));
      assertThat(browser.findElement(By.id("diagnosis")).getText()).as("the launched encounter opened")
          .contains("Condition/demo-psa-dx1");

      RecordedRequest authorize = authorization.takeRequest(5, TimeUnit.SECONDS);
      while (authorize != null && !authorize.getRequestUrl().encodedPath().endsWith("/authorize")) {
        authorize = authorization.takeRequest(5, TimeUnit.SECONDS);
      }
      assertThat(authorize).as("the app sent the clinician to the authorisation endpoint").isNotNull();
      // The next launch starts clean: no session of this server's origin is reused.
      browser.manage().deleteAllCookies();
      return Arrays.asList(authorize.getRequestUrl().queryParameter("scope").split(" "));
    }
  }
}
