package org.prostateed.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The network between the plugin and the EHR's FHIR server, made to fail on cue: an HTTP hop that
 * forwards every request until one that matches a rule arrives, and then breaks that exchange in
 * the way the rule says. While the EHR is stopped, every request through it dies without an answer,
 * as it would at a load balancer in front of a dead server.
 */
final class FaultyLink implements AutoCloseable {

  /** How the matching exchange breaks. */
  enum Fault {
    /** The connection drops before the request reaches the EHR. */
    DROP_REQUEST,
    /** The EHR acts on the request, then the connection drops before the answer comes back. */
    DROP_ANSWER,
    /** The EHR acts on the request, and its answer is held back for the rule's delay. */
    HOLD_ANSWER
  }

  /** What a rule matches: the method, the path with its query, and the body. */
  record Request(String method, String path, String body) {}

  /** One armed fault; {@code happened} opens when it has fired, {@code finished} when its exchange is over. */
  static final class Rule {
    final Predicate<Request> matches;
    final Fault fault;
    final Duration hold;
    final Runnable action;
    final CountDownLatch happened = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);

    private Rule(Predicate<Request> matches, Fault fault, Duration hold, Runnable action) {
      this.matches = matches;
      this.fault = fault;
      this.hold = hold;
      this.action = action;
    }

    void awaitFinished(Duration timeout) throws InterruptedException {
      if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the faulty exchange did not finish in " + timeout);
      }
    }

    boolean happened() {
      return happened.getCount() == 0;
    }

    private void fire() {
      action.run();
      happened.countDown();
    }
  }

  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
      "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicReference<Rule> armed = new AtomicReference<>();
  private volatile String upstream;

  private FaultyLink(HttpServer server, String upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  /** A link to a FHIR base such as {@code http://127.0.0.1:8080/fhir}, reached at {@link #base()}. */
  static FaultyLink to(String upstreamBase) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    FaultyLink link = new FaultyLink(server, upstreamBase);
    server.createContext("/", link::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    return link;
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
  }

  /** Points the link at the EHR again after it was started anew (on another port). */
  void retarget(String upstreamBase) {
    upstream = upstreamBase;
  }

  /**
   * Arms one fault for the next request that matches. {@code action} runs when it fires: before the
   * request is forwarded for {@link Fault#DROP_REQUEST}, after the EHR answered for the others.
   */
  Rule breakOn(Predicate<Request> matches, Fault fault, Duration hold, Runnable action) {
    Rule rule = new Rule(matches, fault, hold, action);
    if (!armed.compareAndSet(null, rule)) {
      throw new IllegalStateException("a fault is already armed");
    }
    return rule;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath().replaceFirst("^/fhir", "")
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
      Rule rule = armed.get();
      Request request = new Request(exchange.getRequestMethod(), "/fhir" + path, new String(body, StandardCharsets.UTF_8));
      boolean fire = rule != null && rule.matches.test(request) && armed.compareAndSet(rule, null);
      try {
        if (fire && rule.fault == Fault.DROP_REQUEST) {
          rule.fire();
          return; // closed without an answer: the client sees the connection drop
        }
        HttpResponse<byte[]> answer;
        try {
          answer = client.send(forward(exchange, path, body), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException unreachable) {
          return; // the EHR is down: the connection drops without an answer
        }
        if (fire) {
          rule.fire();
          if (rule.fault == Fault.DROP_ANSWER) {
            return;
          }
          Thread.sleep(rule.hold.toMillis());
        }
        answer.headers().map().forEach((name, values) -> {
          if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
            exchange.getResponseHeaders().put(name, List.copyOf(values));
          }
        });
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        } catch (IOException clientGone) {
          // the plugin stopped waiting (its timeout): what matters is that the EHR acted
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (fire) {
          rule.finished.countDown();
        }
      }
    }
  }

  private HttpRequest forward(HttpExchange exchange, String path, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + path))
        .timeout(Duration.ofSeconds(60))
        .method(exchange.getRequestMethod(), body.length == 0
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> request.header(name, value));
      }
    });
    return request.build();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
