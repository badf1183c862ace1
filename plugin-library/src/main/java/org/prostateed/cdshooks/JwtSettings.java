package org.prostateed.cdshooks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Trusted CDS clients (EHRs): per issuer, its keys (a JWKS JSON) and the jku URLs it may point to.
 *
 * <p>A CDS client signs a JSON Web Token for every call it makes to a CDS service. Only the
 * issuers named here are trusted. For each issuer the service knows its public keys in one of two
 * ways, or both: a JSON Web Key Set given in the configuration ({@code jwksJson}), or a list of
 * exact URLs from which its key set may be fetched when a token names one in its {@code jku}
 * header ({@code allowedJkuUrls}). A token that points at any other URL is refused without
 * fetching anything.
 *
 * @param issuers the trusted issuers, keyed by their {@code iss} value
 * @param clockSkew how far the service's clock and the client's may disagree when checking
 *     {@code exp}, {@code iat} and {@code nbf}
 */
public record JwtSettings(Map<String, TrustedIssuer> issuers, Duration clockSkew) {

  /** The clock skew {@link #of} uses: one minute. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  /**
   * Checks the settings and takes an unmodifiable copy of the issuers.
   *
   * @throws IllegalArgumentException if a map key differs from its issuer's name, or the clock
   *     skew is negative
   */
  public JwtSettings {
    Objects.requireNonNull(issuers, "issuers");
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clockSkew must not be negative");
    }
    issuers.forEach((name, issuer) -> {
      Objects.requireNonNull(issuer, "issuer");
      if (!issuer.issuer().equals(name)) {
        throw new IllegalArgumentException(
            "issuer map key '" + name + "' differs from its issuer '" + issuer.issuer() + "'");
      }
    });
    issuers = Map.copyOf(issuers);
  }

  /**
   * Settings that trust the given issuers, with a clock skew of 60 seconds.
   *
   * @throws IllegalArgumentException if the same issuer is given twice
   */
  public static JwtSettings of(TrustedIssuer... issuers) {
    Map<String, TrustedIssuer> byName = new LinkedHashMap<>();
    for (TrustedIssuer issuer : issuers) {
      if (byName.putIfAbsent(issuer.issuer(), issuer) != null) {
        throw new IllegalArgumentException("issuer '" + issuer.issuer() + "' is given twice");
      }
    }
    return new JwtSettings(byName, DEFAULT_CLOCK_SKEW);
  }

  /** The trusted issuer with this {@code iss} value, if there is one. */
  public Optional<TrustedIssuer> issuer(String iss) {
    return iss == null ? Optional.empty() : Optional.ofNullable(issuers.get(iss));
  }

  /**
   * One trusted CDS client.
   *
   * @param issuer the exact {@code iss} value its tokens carry
   * @param jwksJson its public keys as a JSON Web Key Set, if they are configured here; used for
   *     tokens that carry no {@code jku} header
   * @param allowedJkuUrls the exact URLs (compared as strings) from which its key set may be
   *     fetched when a token names one in its {@code jku} header; may be empty
   * @param systemActions whether the client applies CDS Hooks {@code systemActions}: it then gets
   *     the questionnaire Task as a system action on {@code encounter-start} instead of as a card
   *     suggestion, never both (a service cannot tell whether an EHR applies system actions, so it
   *     is configured; two Tasks would follow from both)
   */
  public record TrustedIssuer(String issuer, Optional<String> jwksJson, List<String> allowedJkuUrls,
      boolean systemActions) {

    /** Checks the values and takes an unmodifiable copy of the URL list. */
    public TrustedIssuer {
      Objects.requireNonNull(issuer, "issuer");
      if (issuer.isBlank()) {
        throw new IllegalArgumentException("issuer must not be blank");
      }
      Objects.requireNonNull(jwksJson, "jwksJson");
      allowedJkuUrls = List.copyOf(allowedJkuUrls);
    }

    /** A client that gets the Task as a card suggestion. */
    public TrustedIssuer(String issuer, Optional<String> jwksJson, List<String> allowedJkuUrls) {
      this(issuer, jwksJson, allowedJkuUrls, false);
    }

    /** An issuer whose keys are configured here, as a JSON Web Key Set. */
    public static TrustedIssuer withJwks(String issuer, String jwksJson) {
      return new TrustedIssuer(issuer, Optional.of(jwksJson), List.of());
    }

    /** An issuer whose key set is fetched from one of these exact URLs. */
    public static TrustedIssuer withJkuUrls(String issuer, String... allowedJkuUrls) {
      return new TrustedIssuer(issuer, Optional.empty(), List.of(allowedJkuUrls));
    }

    /** Names the issuer and its URLs, but leaves out the key material. */
    @Override
    public String toString() {
      return "TrustedIssuer[issuer=" + issuer + ", jwksConfigured=" + jwksJson.isPresent()
          + ", allowedJkuUrls=" + allowedJkuUrls + ", systemActions=" + systemActions + "]";
    }
  }
}
