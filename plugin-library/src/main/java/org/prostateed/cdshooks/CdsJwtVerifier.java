package org.prostateed.cdshooks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetParseException;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the bearer token a CDS client (an EHR) sends with every call to a CDS service, as
 * CDS Hooks 2.0 asks ("Trusting CDS Clients").
 *
 * <p>A token passes only when all of this holds:
 *
 * <ul>
 *   <li>It is a signed JWT using an asymmetric algorithm: ES256, ES384, ES512, RS256, RS384,
 *       RS512, PS256, PS384 or PS512. Unsigned tokens ({@code alg: none}) and shared-secret
 *       (HMAC) tokens are refused.
 *   <li>Its {@code iss} is one of the trusted issuers in {@link JwtSettings}.
 *   <li>Its header names a key ({@code kid}), and that key is found either in the issuer's
 *       configured key set or, when the header carries a {@code jku}, in the key set fetched from
 *       that URL, which must be one of the issuer's allowed URLs, character for character. The key
 *       must suit the algorithm (an EC key on the right curve for ES*, an RSA key of at least 2048
 *       bits for RS* and PS*), and if the key declares an {@code alg} or a {@code use}, they must
 *       be that algorithm and {@code sig}.
 *   <li>The signature checks out with that key.
 *   <li>Its {@code aud} (a string or an array of strings) contains exactly the URL of the service
 *       being called.
 *   <li>It has an {@code exp} that has not passed, an {@code iat} that is not in the future, and,
 *       if it has an {@code nbf}, that time has come; each with the configured clock skew. The
 *       registered claims are checked by nimbus's {@code DefaultJWTClaimsVerifier}.
 *   <li>It has a {@code jti} this service has not seen before from the same issuer, while the
 *       earlier token was still valid. Once a token passes, its {@code jti} is remembered until
 *       the token expires, so the same token cannot be used twice.
 * </ul>
 *
 * <p>Fetched key sets are kept by nimbus's JWK set source (cached per URL for five minutes, and
 * rate-limited): when a token names a key that the cached set lacks, the set is fetched again so
 * that a client can rotate its keys, as often as the rate limit of one interval of 30 seconds per
 * URL lets through; if the key is still missing, the token is refused. A fetch that
 * takes longer than two seconds, answers anything but 200, is redirected elsewhere or is larger
 * than 256 KiB fails, and so does every token that depends on it.
 *
 * <p>The verifier is safe to share between threads. It never logs the token, its claims or any
 * key: a refusal is logged at debug level with a short reason only.
 */
public final class CdsJwtVerifier {

  private static final Logger log = LoggerFactory.getLogger(CdsJwtVerifier.class);

  /** The algorithms a CDS client may sign with. */
  static final Set<JWSAlgorithm> ALLOWED_ALGORITHMS = Set.of(
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

  /** The claims a CDS client's token must carry (CDS Hooks 2.0, "Trusting CDS Clients"). */
  private static final Set<String> REQUIRED_CLAIMS = Set.of("iss", "aud", "exp", "iat", "jti");

  static final Duration JWKS_FETCH_TIMEOUT = Duration.ofSeconds(2);
  static final Duration JWKS_CACHE_TIME = Duration.ofMinutes(5);
  static final Duration JWKS_MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
  static final int JWKS_MAX_BYTES = 256 * 1024;
  static final int MIN_RSA_KEY_BITS = 2048;
  static final int MAX_TOKEN_CHARS = 16 * 1024;
  static final int DEFAULT_MAX_REMEMBERED_TOKENS = 100_000;
  private static final Duration REPLAY_PURGE_INTERVAL = Duration.ofMinutes(1);
  private static final String BEARER = "Bearer ";

  private final JwtSettings settings;
  private final Clock clock;
  private final HttpClient http;
  private final Map<String, JWKSet> configuredKeys;
  private final Map<String, JWKSetSource<SecurityContext>> keySources = new ConcurrentHashMap<>();
  private final Map<ReplayKey, Instant> seenTokens = new ConcurrentHashMap<>();
  private final int maxRememberedTokens;
  private final AtomicLong nextReplayPurge = new AtomicLong(Long.MIN_VALUE);

  /**
   * A verifier for the given trusted clients.
   *
   * @param settings the trusted issuers and the clock skew
   * @param clock the clock that decides whether a token has expired
   * @param http the client that fetches key sets named by {@code jku}
   * @throws IllegalArgumentException if an issuer's configured key set is not a valid JWKS
   */
  public CdsJwtVerifier(JwtSettings settings, Clock clock, HttpClient http) {
    this(settings, clock, http, DEFAULT_MAX_REMEMBERED_TOKENS);
  }

  /** As the public constructor, with the most token ids the replay cache may hold at once. */
  CdsJwtVerifier(JwtSettings settings, Clock clock, HttpClient http, int maxRememberedTokens) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.http = Objects.requireNonNull(http, "http");
    if (maxRememberedTokens < 1) {
      throw new IllegalArgumentException("maxRememberedTokens must be positive");
    }
    this.maxRememberedTokens = maxRememberedTokens;
    Map<String, JWKSet> keys = new HashMap<>();
    for (JwtSettings.TrustedIssuer issuer : settings.issuers().values()) {
      if (issuer.jwksJson().isPresent()) {
        try {
          // Only public keys are ever used: private parts and shared secrets are dropped here.
          keys.put(issuer.issuer(), JWKSet.parse(issuer.jwksJson().get()).toPublicJWKSet());
        } catch (ParseException e) {
          throw new IllegalArgumentException(
              "the key set configured for issuer '" + issuer.issuer() + "' is not a valid JWKS");
        }
      }
    }
    this.configuredKeys = Map.copyOf(keys);
  }

  /**
   * The verified claims, or empty on ANY failure (the caller answers a bare 401). Never logs the
   * token.
   *
   * @param authorizationHeader the whole value of the request's Authorization header, such as
   *     {@code "Bearer eyJ..."}; may be null
   * @param serviceUrl the exact URL of the CDS service endpoint being called, which the token's
   *     {@code aud} must contain
   */
  /** The trusted client that signed the token, if the token is valid for the service. */
  public Optional<JwtSettings.TrustedIssuer> client(String authorizationHeader, String serviceUrl) {
    return verify(authorizationHeader, serviceUrl).flatMap(claims -> settings.issuer(claims.getIssuer()));
  }

  public Optional<JWTClaimsSet> verify(String authorizationHeader, String serviceUrl) {
    try {
      return Optional.of(check(authorizationHeader, serviceUrl));
    } catch (Rejected e) {
      log.debug("CDS client token rejected: {}", e.reason);
    } catch (Exception e) {
      // Only the class name: exception messages may quote parts of the token.
      log.debug("CDS client token rejected: {}", e.getClass().getSimpleName());
    }
    return Optional.empty();
  }

  private JWTClaimsSet check(String authorizationHeader, String serviceUrl)
      throws ParseException, JOSEException {
    if (serviceUrl == null || serviceUrl.isBlank()) {
      throw new Rejected("no service URL");
    }
    String token = bearerToken(authorizationHeader);

    JWT parsed = JWTParser.parse(token);
    if (!(parsed instanceof SignedJWT jwt)) {
      throw new Rejected("not signed");
    }
    JWSHeader header = jwt.getHeader();
    JWSAlgorithm alg = header.getAlgorithm();
    if (!ALLOWED_ALGORITHMS.contains(alg)) {
      throw new Rejected("algorithm not allowed");
    }
    String kid = header.getKeyID();
    if (kid == null || kid.isBlank()) {
      throw new Rejected("no kid");
    }

    // The issuer is read before the signature is checked only to choose the keys; nothing else
    // in the claims is trusted until the signature has been verified.
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    JwtSettings.TrustedIssuer issuer = settings.issuer(claims.getIssuer())
        .orElseThrow(() -> new Rejected("unknown issuer"));

    JWK key = findKey(issuer, header, kid);
    if (!jwt.verify(verifierFor(key, alg))) {
      throw new Rejected("bad signature");
    }

    // exp (not passed), nbf (come), aud (this service's URL), iss (the one whose key verified
    // the signature), and iat and jti present: nimbus's claims verifier, on this verifier's clock.
    Instant now = clock.instant();
    Duration skew = settings.clockSkew();
    DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier = new DefaultJWTClaimsVerifier<>(
        // nimbus asks its sets whether they contain null, which Set.of refuses to be asked.
        new HashSet<>(List.of(serviceUrl)),
        new JWTClaimsSet.Builder().issuer(issuer.issuer()).build(), new HashSet<>(REQUIRED_CLAIMS), null) {
      @Override
      protected Date currentTime() {
        return Date.from(now);
      }
    };
    claimsVerifier.setMaxClockSkew((int) skew.toSeconds());
    try {
      claimsVerifier.verify(claims, null);
    } catch (BadJWTException e) {
      // nimbus's message can quote a claim: the reason stays generic.
      throw new Rejected("claims rejected (exp, nbf, aud, iss or a required claim)");
    }
    // What nimbus does not check: a token issued in the future, and a blank jti.
    if (claims.getIssueTime().toInstant().isAfter(now.plus(skew))) {
      throw new Rejected("issued in the future");
    }
    String jti = claims.getJWTID();
    if (jti.isBlank()) {
      throw new Rejected("no jti");
    }
    Instant expires = claims.getExpirationTime().toInstant();
    // Last, so that a token refused for any other reason does not use up its jti.
    remember(new ReplayKey(issuer.issuer(), jti), expires.plus(skew), now);
    return claims;
  }

  private static String bearerToken(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.length() <= BEARER.length()
        || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new Rejected("no bearer token");
    }
    String token = authorizationHeader.substring(BEARER.length()).trim();
    if (token.isEmpty()) {
      throw new Rejected("no bearer token");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new Rejected("token too long");
    }
    return token;
  }

  // ---- Keys ----

  private JWK findKey(JwtSettings.TrustedIssuer issuer, JWSHeader header, String kid) {
    JWK key;
    URI jku = header.getJWKURL();
    if (jku != null) {
      String url = jku.toString();
      if (!issuer.allowedJkuUrls().contains(url)) {
        throw new Rejected("jku not allowed");
      }
      key = fetchedKey(url, kid);
    } else {
      JWKSet keys = configuredKeys.get(issuer.issuer());
      if (keys == null) {
        throw new Rejected("no keys configured");
      }
      key = keys.getKeyByKeyId(kid);
    }
    if (key == null) {
      throw new Rejected("unknown kid");
    }
    return key;
  }

  /**
   * The key with this id from the key set at this (allowed) URL. nimbus's JWK set source keeps the
   * set for {@link #JWKS_CACHE_TIME}; a kid the copy lacks asks it to look again (the client may have
   * rotated its keys), which its rate limit allows only so often per {@link #JWKS_MIN_REFETCH_INTERVAL}.
   * Time is this verifier's clock, so that the cache expires as the tokens do.
   */
  private JWK fetchedKey(String url, String kid) {
    JWKSetSource<SecurityContext> source = keySources.computeIfAbsent(url, this::keySource);
    long now = clock.millis();
    try {
      JWKSet keys = source.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, null);
      JWK key = keys.getKeyByKeyId(kid);
      if (key == null) {
        keys = source.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(keys), now, null);
        key = keys.getKeyByKeyId(kid);
      }
      return key == null ? null : key.toPublicJWK();
    } catch (RateLimitReachedException e) {
      return null;
    } catch (JWKSetParseException e) {
      throw new Rejected("jwks not valid");
    } catch (KeySourceException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof FetchFailed failed) {
          throw new Rejected(failed.getMessage());
        }
      }
      throw new Rejected("jwks fetch failed");
    }
  }

  /** nimbus's source for one key-set URL: cached and rate-limited, fetched by {@link #retrieve}, never retried. */
  private JWKSetSource<SecurityContext> keySource(String url) {
    try {
      JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(URI.create(url).toURL(), this::retrieve)
          .cache(JWKS_CACHE_TIME.toMillis(), JWKS_FETCH_TIMEOUT.toMillis())
          .refreshAheadCache(false)
          .rateLimited(JWKS_MIN_REFETCH_INTERVAL.toMillis())
          .retrying(false)
          .outageTolerant(false)
          .build();
      if (!(source instanceof JWKSetBasedJWKSource<SecurityContext> based)) {
        throw new IllegalStateException("nimbus built a JWK source of another kind: " + source.getClass().getName());
      }
      return based.getJWKSetSource();
    } catch (MalformedURLException e) {
      throw new Rejected("jku not a URL");
    }
  }

  /**
   * Fetches a key set for nimbus with this verifier's HTTP client: at most {@link #JWKS_FETCH_TIMEOUT},
   * 200 only, no redirect (the allow-list covers only the URL itself), at most {@link #JWKS_MAX_BYTES}.
   */
  private Resource retrieve(URL url) throws IOException {
    URI uri;
    try {
      uri = url.toURI();
    } catch (java.net.URISyntaxException e) {
      throw new FetchFailed("jwks fetch failed");
    }
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(JWKS_FETCH_TIMEOUT)
        .header("Accept", "application/json")
        .GET()
        .build();
    CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request,
        info -> info.statusCode() == 200
            ? new LimitedBody(JWKS_MAX_BYTES)
            : HttpResponse.BodySubscribers.replacing(new byte[0]));
    HttpResponse<byte[]> response;
    try {
      response = pending.get(JWKS_FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new FetchFailed("jwks fetch timed out");
    } catch (ExecutionException e) {
      throw new FetchFailed("jwks fetch failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchFailed("jwks fetch interrupted");
    }
    if (response.statusCode() != 200) {
      throw new FetchFailed("jwks fetch failed");
    }
    if (!uri.equals(response.uri())) {
      throw new FetchFailed("jwks fetch redirected");
    }
    return new Resource(new String(response.body(), StandardCharsets.UTF_8), "application/json");
  }

  /** Why a key-set fetch failed, carried through nimbus to the refusal's reason. */
  private static final class FetchFailed extends IOException {
    FetchFailed(String reason) {
      super(reason, null);
    }
  }

  /** A verifier for this key, once the key is known to suit the algorithm. */
  private static JWSVerifier verifierFor(JWK key, JWSAlgorithm alg) throws JOSEException {
    if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg.getName())) {
      throw new Rejected("key alg mismatch");
    }
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      throw new Rejected("key not for signatures");
    }
    if (JWSAlgorithm.Family.EC.contains(alg)) {
      if (!(key instanceof ECKey ecKey)) {
        throw new Rejected("key type mismatch");
      }
      if (!Curve.forJWSAlgorithm(alg).contains(ecKey.getCurve())) {
        throw new Rejected("key curve mismatch");
      }
      return new ECDSAVerifier(ecKey.toPublicJWK());
    }
    if (JWSAlgorithm.Family.RSA.contains(alg)) {
      if (!(key instanceof RSAKey rsaKey)) {
        throw new Rejected("key type mismatch");
      }
      if (rsaKey.size() < MIN_RSA_KEY_BITS) {
        throw new Rejected("rsa key too small");
      }
      return new RSASSAVerifier(rsaKey.toPublicJWK());
    }
    throw new Rejected("algorithm not allowed");
  }

  // ---- Replay ----

  /** Notes a token id until it expires, or refuses it if it is already noted and unexpired. */
  private void remember(ReplayKey key, Instant forgetAt, Instant now) {
    if (seenTokens.size() >= maxRememberedTokens || now.toEpochMilli() >= nextReplayPurge.get()) {
      purgeExpired(now);
    }
    Instant earlier = seenTokens.putIfAbsent(key, forgetAt);
    if (earlier == null) {
      if (seenTokens.size() > maxRememberedTokens) {
        // Full of unexpired tokens: refuse rather than forget one, which would allow its replay.
        seenTokens.remove(key, forgetAt);
        throw new Rejected("replay cache full");
      }
      return;
    }
    if (now.isBefore(earlier)) {
      throw new Rejected("replayed jti");
    }
    // The earlier token has expired; only one caller can take its place.
    if (!seenTokens.replace(key, earlier, forgetAt)) {
      throw new Rejected("replayed jti");
    }
  }

  private void purgeExpired(Instant now) {
    nextReplayPurge.set(now.plus(REPLAY_PURGE_INTERVAL).toEpochMilli());
    seenTokens.values().removeIf(forgetAt -> !now.isBefore(forgetAt));
  }

  /** How many token ids the replay cache holds now; for tests. */
  int rememberedTokens() {
    return seenTokens.size();
  }

  private record ReplayKey(String issuer, String jti) {}

  /** Why a token was refused; carries no stack trace and no token content. */
  private static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Rejected(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }
  }

  /** Collects a response body, failing once it grows past a limit. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int limit;
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        if (bytes.size() + item.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new IOException("response body too large"));
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        bytes.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}
