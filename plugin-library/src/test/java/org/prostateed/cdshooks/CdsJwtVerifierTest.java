package org.prostateed.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CDS Hooks client-token checks: real keys and signatures made with nimbus, a fixed clock,
 * and a local HTTP server standing in for an EHR's published key set.
 */
class CdsJwtVerifierTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String ISSUER = "https://ehr.example.org";
  private static final String JKU_ISSUER = "https://other-ehr.example.org";
  private static final String SERVICE_URL =
      "https://cds.example.org/cds-services/prostate-education";

  private static ECKey ecKey;
  private static RSAKey rsaKey;
  private static RSAKey rs256OnlyKey;
  private static OctetSequenceKey sharedSecret;
  private static HttpServer server;
  private static String allowedJku;
  private static String otherJku;
  private static final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  private MutableClock clock;
  private CdsJwtVerifier verifier;

  @BeforeAll
  static void keysAndServer() throws Exception {
    ecKey = new ECKeyGenerator(Curve.P_384).keyID("ec-1").generate();
    rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    rs256OnlyKey = new RSAKeyGenerator(2048).keyID("rsa-256").algorithm(JWSAlgorithm.RS256)
        .generate();
    sharedSecret = new OctetSequenceKeyGenerator(256).keyID("shared").generate();

    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] publicJwks = new JWKSet(rsaKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      requests.computeIfAbsent(exchange.getRequestURI().getPath(), path -> new AtomicInteger())
          .incrementAndGet();
      String path = exchange.getRequestURI().getPath();
      byte[] answer = switch (path) {
        // The right key, padded past the limit: only the limit refuses it.
        case "/huge.json" -> (new String(publicJwks, StandardCharsets.UTF_8).replaceFirst("\\}$", "")
            + ",\"pad\":\"" + "x".repeat(CdsJwtVerifier.JWKS_MAX_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
        case "/garbage.json" -> "this is not a key set".getBytes(StandardCharsets.UTF_8);
        default -> publicJwks;
      };
      int status = switch (path) {
        case "/error.json" -> 500;
        case "/redirect.json" -> 302;
        default -> 200;
      };
      if (status == 302) {
        exchange.getResponseHeaders().add("Location", "/jwks.json");
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, answer.length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(answer);
      }
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    allowedJku = base + "/jwks.json";
    otherJku = base + "/other.json";
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  @BeforeEach
  void freshVerifier() {
    requests.clear();
    clock = new MutableClock(NOW);
    verifier = new CdsJwtVerifier(settings(), clock, httpClient());
  }

  private static JwtSettings settings() {
    // The configured set holds a shared secret too: it must never be usable, kid or not.
    String jwks = new JWKSet(List.<JWK>of(ecKey.toPublicJWK(), rs256OnlyKey.toPublicJWK(),
        sharedSecret)).toString(false);
    return JwtSettings.of(
        JwtSettings.TrustedIssuer.withJwks(ISSUER, jwks),
        JwtSettings.TrustedIssuer.withJkuUrls(JKU_ISSUER, allowedJku));
  }

  private static HttpClient httpClient() {
    return HttpClient.newBuilder()
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  // ---- Tokens that pass ----

  @Test
  void aValidEs384TokenPassesWithTheConfiguredKeys() throws Exception {
    String token = es384(claims(ISSUER).subject("ehr-client").build());

    Optional<JWTClaimsSet> claims = verifier.verify("Bearer " + token, SERVICE_URL);

    assertThat(claims).isPresent();
    assertThat(claims.get().getIssuer()).isEqualTo(ISSUER);
    assertThat(claims.get().getSubject()).isEqualTo("ehr-client");
    assertThat(requests).isEmpty();
  }

  @Test
  void aValidRs384TokenPassesWithTheKeySetFromAnAllowedJku() throws Exception {
    String first = rs384(claims(JKU_ISSUER).build(), rsaKey, allowedJku);
    String second = rs384(claims(JKU_ISSUER).build(), rsaKey, allowedJku);

    assertThat(verifier.verify("Bearer " + first, SERVICE_URL)).isPresent();
    assertThat(verifier.verify("Bearer " + second, SERVICE_URL)).isPresent();

    // The key set was fetched once and then served from the cache.
    assertThat(requests).containsOnlyKeys("/jwks.json");
    assertThat(requests.get("/jwks.json")).hasValue(1);
  }

  @Test
  void theFetchedKeySetIsFetchedAgainAfterFiveMinutes() throws Exception {
    assertThat(verifier.verify(
        "Bearer " + rs384(claims(JKU_ISSUER).build(), rsaKey, allowedJku), SERVICE_URL)).isPresent();
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertThat(verifier.verify(
        "Bearer " + rs384(claims(JKU_ISSUER).build(), rsaKey, allowedJku), SERVICE_URL)).isPresent();

    assertThat(requests.get("/jwks.json")).hasValue(2);
  }

  @Test
  void theSchemeIsCaseInsensitive() throws Exception {
    assertThat(verifier.verify("bearer " + es384(claims(ISSUER).build()), SERVICE_URL)).isPresent();
  }

  @Test
  void anAudienceArrayPassesWhenOneElementIsTheServiceUrl() throws Exception {
    String token = es384(claims(ISSUER)
        .audience(List.of("https://cds.example.org/cds-services", SERVICE_URL)).build());

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isPresent();
  }

  @Test
  void anExpiryWithinTheClockSkewStillPasses() throws Exception {
    String token = es384(claims(ISSUER)
        .issueTime(Date.from(NOW.minusSeconds(300)))
        .expirationTime(Date.from(NOW.minusSeconds(30))).build());

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isPresent();
  }

  @Test
  void anRs256KeyPassesAnRs256Token() throws Exception {
    String token = sign(claims(ISSUER).build(), JWSAlgorithm.RS256, "rsa-256", null,
        new RSASSASigner(rs256OnlyKey));

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isPresent();
  }

  // ---- Tokens that are refused ----

  @Test
  void aJkuNotOnTheAllowListIsRejectedWithoutBeingFetched() throws Exception {
    String elsewhere = rs384(claims(JKU_ISSUER).build(), rsaKey, otherJku);
    String sameUrlWithQuery = rs384(claims(JKU_ISSUER).build(), rsaKey, allowedJku + "?v=2");
    String issuerWithoutJkus = rs384(claims(ISSUER).build(), rsaKey, allowedJku);

    assertThat(verifier.verify("Bearer " + elsewhere, SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer " + sameUrlWithQuery, SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer " + issuerWithoutJkus, SERVICE_URL)).isEmpty();

    assertThat(requests).isEmpty();
  }

  @Test
  void aMissingOrBlankHeaderIsRejected() {
    assertThat(verifier.verify(null, SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("", SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("   ", SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer ", SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer    ", SERVICE_URL)).isEmpty();
  }

  @Test
  void anotherSchemeIsRejected() throws Exception {
    assertThat(verifier.verify("Basic x", SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Basic " + es384(claims(ISSUER).build()), SERVICE_URL)).isEmpty();
    assertThat(verifier.verify(es384(claims(ISSUER).build()), SERVICE_URL)).isEmpty();
  }

  @Test
  void anUnsignedTokenIsRejected() {
    String token = new PlainJWT(claims(ISSUER).build()).serialize();

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
  }

  @Test
  void anHmacTokenIsRejectedEvenWithAMatchingKid() throws Exception {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    String withEcKid = sign(claims(ISSUER).build(), JWSAlgorithm.HS256, "ec-1", null,
        new MACSigner(secret));
    // Signed with the very secret that sits in the issuer's configured key set.
    String withConfiguredSecret = sign(claims(ISSUER).build(), JWSAlgorithm.HS256, "shared", null,
        new MACSigner(sharedSecret));

    assertThat(verifier.verify("Bearer " + withEcKid, SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer " + withConfiguredSecret, SERVICE_URL)).isEmpty();
  }

  @Test
  void anExpiredTokenIsRejected() throws Exception {
    String token = es384(claims(ISSUER)
        .issueTime(Date.from(NOW.minusSeconds(600)))
        .expirationTime(Date.from(NOW.minusSeconds(61))).build());

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
  }

  @Test
  void aTokenWithoutExpIsRejected() throws Exception {
    String token = es384(claims(ISSUER).expirationTime(null).build());

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
  }

  @Test
  void aTokenIssuedFarInTheFutureIsRejected() throws Exception {
    String token = es384(claims(ISSUER)
        .issueTime(Date.from(NOW.plusSeconds(3600)))
        .expirationTime(Date.from(NOW.plusSeconds(3900))).build());

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
  }

  @Test
  void aTokenWithoutIatIsRejected() throws Exception {
    String token = es384(claims(ISSUER).issueTime(null).build());

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
  }

  @Test
  void aTokenNotYetValidIsRejected() throws Exception {
    String token = es384(claims(ISSUER).notBeforeTime(Date.from(NOW.plusSeconds(120))).build());

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
  }

  @Test
  void aTokenForAnotherAudienceIsRejected() throws Exception {
    String withSlash = es384(claims(ISSUER).audience(SERVICE_URL + "/").build());
    String otherService = es384(claims(ISSUER).audience("https://cds.example.org/cds-services/x")
        .build());
    String noAudience = es384(claims(ISSUER).audience((String) null).build());

    assertThat(verifier.verify("Bearer " + withSlash, SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer " + otherService, SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer " + noAudience, SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer " + es384(claims(ISSUER).build()), null)).isEmpty();
  }

  @Test
  void aTokenFromAnUnknownIssuerIsRejected() throws Exception {
    String token = es384(claims("https://stranger.example.org").build());

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
  }

  @Test
  void aTokenNamingAnUnknownKidIsRejected() throws Exception {
    String token = sign(claims(ISSUER).build(), JWSAlgorithm.ES384, "ec-2", null,
        new ECDSASigner(ecKey));
    String noKid = sign(claims(ISSUER).build(), JWSAlgorithm.ES384, null, null,
        new ECDSASigner(ecKey));

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer " + noKid, SERVICE_URL)).isEmpty();
  }

  @Test
  void aKidMissingFromTheFetchedKeySetIsRejected() throws Exception {
    RSAKey unknown = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    String token = rs384(claims(JKU_ISSUER).build(), unknown, allowedJku);

    // The set is fetched, and fetched once more for the missing kid: nimbus's rate limit lets
    // that one through, since the client may have rotated its keys just now.
    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
    assertThat(requests.get("/jwks.json")).hasValue(2);

    // Further tries within the 30 s interval do not fetch the key set again.
    for (int i = 0; i < 3; i++) {
      String again = rs384(claims(JKU_ISSUER).build(), unknown, allowedJku);
      assertThat(verifier.verify("Bearer " + again, SERVICE_URL)).isEmpty();
    }
    assertThat(requests.get("/jwks.json")).hasValue(2);

    // Once the interval has passed, a missing kid may fetch the set again.
    clock.advance(CdsJwtVerifier.JWKS_MIN_REFETCH_INTERVAL.plusSeconds(1));
    String later = rs384(claims(JKU_ISSUER).build(), unknown, allowedJku);
    assertThat(verifier.verify("Bearer " + later, SERVICE_URL)).isEmpty();
    assertThat(requests.get("/jwks.json")).hasValue(3);
  }

  // A key set that cannot be had whole from the allowed URL itself, with a 200, fails every token
  // that depends on it: an error, a redirect (even to an allowed URL), a body over 256 KiB, garbage.
  // The error, the redirect and the oversized answer all carry the right key.
  @Test
  void aKeySetFetchThatFailsRejectsTheToken() throws Exception {
    String base = allowedJku.substring(0, allowedJku.lastIndexOf('/'));
    List<String> broken = List.of(base + "/error.json", base + "/redirect.json", base + "/huge.json",
        base + "/garbage.json");
    JwtSettings withBroken = JwtSettings.of(JwtSettings.TrustedIssuer.withJkuUrls(JKU_ISSUER,
        java.util.stream.Stream.concat(broken.stream(), java.util.stream.Stream.of(allowedJku)).toArray(String[]::new)));
    CdsJwtVerifier strict = new CdsJwtVerifier(withBroken, clock, httpClient());

    for (String jku : broken) {
      assertThat(strict.verify("Bearer " + rs384(claims(JKU_ISSUER).build(), rsaKey, jku), SERVICE_URL)).as(jku).isEmpty();
      assertThat(requests.get(jku.substring(base.length()))).as(jku).isNotNull();
    }
    assertThat(strict.verify("Bearer " + rs384(claims(JKU_ISSUER).build(), rsaKey, allowedJku), SERVICE_URL)).isPresent();
  }

  @Test
  void aReplayedTokenIsRejected() throws Exception {
    String token = es384(claims(ISSUER).build());

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isPresent();
    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();

    // A fresh token that reuses the jti is a replay as well.
    String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
    String sameJti = es384(claims(ISSUER).jwtID(jti).subject("another").build());
    assertThat(verifier.verify("Bearer " + sameJti, SERVICE_URL)).isEmpty();
  }

  @Test
  void aTokenWithoutJtiIsRejected() throws Exception {
    String token = es384(claims(ISSUER).jwtID(null).build());

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
  }

  @Test
  void aRefusedTokenDoesNotUseUpItsJti() throws Exception {
    JWTClaimsSet claims = claims(ISSUER).build();
    String forAnotherService = es384(new JWTClaimsSet.Builder(claims)
        .audience("https://cds.example.org/cds-services/x").build());

    assertThat(verifier.verify("Bearer " + forAnotherService, SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer " + es384(claims), SERVICE_URL)).isPresent();
  }

  @Test
  void aSignatureByAnotherKeyWithTheSameKidIsRejected() throws Exception {
    ECKey impostor = new ECKeyGenerator(Curve.P_384).keyID("ec-1").generate();
    String token = sign(claims(ISSUER).build(), JWSAlgorithm.ES384, "ec-1", null,
        new ECDSASigner(impostor));

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
  }

  @Test
  void aTokenWhosePayloadWasAlteredIsRejected() throws Exception {
    String token = es384(claims(ISSUER).build());
    String[] parts = token.split("\\.");
    String altered = parts[0] + "." + es384(claims(ISSUER).subject("someone-else").build())
        .split("\\.")[1] + "." + parts[2];

    assertThat(verifier.verify("Bearer " + altered, SERVICE_URL)).isEmpty();
  }

  @Test
  void garbageIsRejected() {
    assertThat(verifier.verify("Bearer not-a-jwt", SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer a.b.c", SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer eyJhbGciOiJFUzM4NCJ9.e30.", SERVICE_URL)).isEmpty();
    assertThat(verifier.verify("Bearer " + "a".repeat(20_000), SERVICE_URL)).isEmpty();
  }

  @Test
  void aKeyDeclaringAnotherAlgIsNotUsed() throws Exception {
    // The key says RS256; the token, signed with that very key, says RS384.
    String token = sign(claims(ISSUER).build(), JWSAlgorithm.RS384, "rsa-256", null,
        new RSASSASigner(rs256OnlyKey));

    assertThat(verifier.verify("Bearer " + token, SERVICE_URL)).isEmpty();
  }

  @Test
  void aKeyOfTheWrongTypeOrCurveIsNotUsed() throws Exception {
    ECKey p256 = new ECKeyGenerator(Curve.P_256).keyID("p256").generate();
    JwtSettings mixed = JwtSettings.of(JwtSettings.TrustedIssuer.withJwks(ISSUER,
        new JWKSet(List.<JWK>of(p256.toPublicJWK(), ecKey.toPublicJWK())).toString()));
    CdsJwtVerifier strict = new CdsJwtVerifier(mixed, clock, httpClient());

    // ES384 header naming a P-256 key: nimbus could not sign that, so fake it with ES256.
    String wrongCurve = sign(claims(ISSUER).build(), JWSAlgorithm.ES256, "p256", null,
        new ECDSASigner(p256));
    String relabelled = relabel(wrongCurve, JWSAlgorithm.ES384, "p256");
    // An RS384 header naming the EC key.
    String wrongType = sign(claims(ISSUER).build(), JWSAlgorithm.RS384, "ec-1", null,
        new RSASSASigner(rsaKey));

    assertThat(strict.verify("Bearer " + relabelled, SERVICE_URL)).isEmpty();
    assertThat(strict.verify("Bearer " + wrongType, SERVICE_URL)).isEmpty();
  }

  // ---- The replay cache ----

  @Test
  void theReplayCacheForgetsExpiredTokensAndRefusesWhenFullOfLiveOnes() throws Exception {
    CdsJwtVerifier small = new CdsJwtVerifier(settings(), clock, httpClient(), 2);

    assertThat(small.verify("Bearer " + es384(claims(ISSUER).build()), SERVICE_URL)).isPresent();
    assertThat(small.verify("Bearer " + es384(claims(ISSUER).build()), SERVICE_URL)).isPresent();
    // Full of unexpired token ids: refuse rather than forget one.
    assertThat(small.verify("Bearer " + es384(claims(ISSUER).build()), SERVICE_URL)).isEmpty();

    // Once the remembered tokens are past exp + skew, their ids are purged.
    clock.advance(Duration.ofMinutes(7));
    assertThat(small.verify("Bearer " + es384(claims(ISSUER, clock.instant()).build()),
        SERVICE_URL)).isPresent();
    assertThat(small.rememberedTokens()).isEqualTo(1);
  }

  // ---- Settings ----

  @Test
  void settingsDefaultToOneMinuteOfSkewAndHideKeysInToString() {
    JwtSettings settings = settings();

    assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.issuers()).containsOnlyKeys(ISSUER, JKU_ISSUER);
    assertThat(settings.issuers().get(ISSUER).toString()).doesNotContain("\"kty\"");
  }

  @Test
  void anInvalidConfiguredKeySetFailsAtConstruction() {
    JwtSettings broken = JwtSettings.of(JwtSettings.TrustedIssuer.withJwks(ISSUER, "{not json"));

    assertThatThrownBy(() -> new CdsJwtVerifier(broken, clock, httpClient()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ISSUER);
  }

  // ---- Helpers ----

  private static JWTClaimsSet.Builder claims(String issuer) {
    return claims(issuer, NOW);
  }

  private static JWTClaimsSet.Builder claims(String issuer, Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(SERVICE_URL)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .jwtID(UUID.randomUUID().toString());
  }

  private static String es384(JWTClaimsSet claims) throws JOSEException {
    return sign(claims, JWSAlgorithm.ES384, ecKey.getKeyID(), null, new ECDSASigner(ecKey));
  }

  private static String rs384(JWTClaimsSet claims, RSAKey key, String jku) throws JOSEException {
    return sign(claims, JWSAlgorithm.RS384, key.getKeyID(), URI.create(jku), new RSASSASigner(key));
  }

  private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, String kid, URI jku,
      JWSSigner signer) throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).jwkURL(jku).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** The token with its header swapped for one with another alg; the signature is kept. */
  private static String relabel(String token, JWSAlgorithm alg, String kid) {
    String header = new JWSHeader.Builder(alg).keyID(kid).build().toBase64URL().toString();
    return header + token.substring(token.indexOf('.'));
  }

  /** A clock the test can move forward. */
  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
