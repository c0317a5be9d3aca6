package dev.herald.push.control;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.push.entity.PushOptions;
import dev.herald.push.entity.PushResult;
import dev.herald.push.entity.PushResult.NotSent.Why;
import dev.herald.subscriptions.control.EndpointPolicy;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.vapid.control.VapidHeaders;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends one encrypted, VAPID-signed message to one push service (RFC 8030 section 5) over one of the
 * application's herald.push.connections-per-host HttpClients (each keeps one HTTP/2 connection per
 * host), at most herald.push.max-streams-per-host at once per connection (HostStreams). No retries
 * here: the caller decides with Outcome.
 */
@ApplicationScoped
public class PushClient {

    static final Logger LOG = Logger.getLogger(PushClient.class.getName());

    @Inject
    PayloadEncryption encryption;

    @Inject
    VapidHeaders vapid;

    @Inject
    EndpointPolicy policy;

    @Inject
    @ConfigProperty(name = "herald.push.connect-timeout")
    Duration connectTimeout;

    @Inject
    @ConfigProperty(name = "herald.push.request-timeout")
    Duration requestTimeout;

    @Inject
    @ConfigProperty(name = "herald.push.max-streams-per-host")
    int maxStreamsPerHost;

    @Inject
    @ConfigProperty(name = "herald.push.connections-per-host")
    int connectionsPerHost;

    /** null: the JVM's default (its trust store); tests trust their own stub's certificate. */
    SSLContext tls;

    /** One per HTTP/2 connection a host may get; http hosts and the uncapped use the first. */
    HttpClient[] clients;
    HostStreams streams;

    public PushClient() {
    }

    /** Outside a container (tests, benchmarks). */
    PushClient(PayloadEncryption encryption, VapidHeaders vapid, EndpointPolicy policy, Duration connectTimeout, Duration requestTimeout) {
        this(encryption, vapid, policy, connectTimeout, requestTimeout, 100, 1, null);
    }

    /**
     * Outside a container, with a stream cap per connection (0: none), connections per https host and a TLS context
     * trusting a test push service.
     */
    PushClient(PayloadEncryption encryption, VapidHeaders vapid, EndpointPolicy policy, Duration connectTimeout, Duration requestTimeout,
            int maxStreamsPerHost, int connectionsPerHost, SSLContext tls) {
        this.encryption = encryption;
        this.vapid = vapid;
        this.policy = policy;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.maxStreamsPerHost = maxStreamsPerHost;
        this.connectionsPerHost = connectionsPerHost;
        this.tls = tls;
        start();
    }

    @PostConstruct
    void start() {
        if (maxStreamsPerHost < 0) {
            throw new IllegalStateException("herald.push.max-streams-per-host must be 0 (no cap) or more, not " + maxStreamsPerHost);
        }
        if (connectionsPerHost < 1) {
            throw new IllegalStateException("herald.push.connections-per-host must be 1 or more, not " + connectionsPerHost);
        }
        streams = new HostStreams(maxStreamsPerHost, connectionsPerHost);
        clients = new HttpClient[connectionsPerHost];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = newClient();
        }
    }

    HttpClient newClient() {
        HttpClient.Builder builder = HttpClient.newBuilder();
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder
                .version(HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                // the client's internal steps run where they arise: on the sender thread that waits in
                // send(), or on the client's selector thread (reading answers, timeouts). Nothing there
                // blocks (ResponseReason reads without waiting), and handing each answer to a pool
                // thread first cost a third of a push's CPU (docs/internals.md)
                .executor(Runnable::run)
                .build();
    }

    /** Built at deployment, so a bad timeout setting stops the deployment, not the first push. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        refuseKeyLog(System.getenv("ECE_KEYLOG"));
        LOG.config(() -> "push HTTP client ready: connect timeout " + connectTimeout + ", request timeout " + requestTimeout
                + ", at most " + (maxStreamsPerHost == 0 ? "any number of pushes in flight per https host"
                : maxStreamsPerHost + " pushes in flight per connection, " + connectionsPerHost + " connections per https host"));
    }

    /** web-push's HttpEce prints every message's keys to standard output when ECE_KEYLOG=1. */
    static void refuseKeyLog(String eceKeyLog) {
        if ("1".equals(eceKeyLog)) {
            throw new IllegalStateException("The environment variable ECE_KEYLOG=1 makes the web-push library print every "
                    + "message's encryption keys to standard output. Unset it; Herald does not start with it.");
        }
    }

    /**
     * Encrypts the payload for the subscription, POSTs it and waits for the answer. Blocking on
     * purpose: sendAsync hands every completion to CompletableFuture's default executor, which on a
     * JVM with two or fewer CPUs starts a new thread per task (docs/internals.md). Every way this
     * can end is a PushResult, not an exception.
     *
     * @throws IllegalArgumentException when the payload exceeds PayloadEncryption.MAX_PLAINTEXT (callers check first)
     */
    public PushResult send(Subscription subscription, byte[] payloadJsonUtf8, PushOptions options) throws InterruptedException {
        if (payloadJsonUtf8.length > PayloadEncryption.MAX_PLAINTEXT) {
            throw new IllegalArgumentException("payload is " + payloadJsonUtf8.length + " bytes; at most "
                    + PayloadEncryption.MAX_PLAINTEXT + " fit one push message");
        }
        URI endpoint;
        try {
            endpoint = URI.create(subscription.endpoint());
            if (!"https".equalsIgnoreCase(endpoint.getScheme()) && !"http".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null) {
                return new PushResult.NotSent(Why.INVALID_ENDPOINT, subscription.endpoint());
            }
            // the SSRF rules again, with today's configuration and today's DNS answers; only the warm-up's own
            // loopback sink, while it is open, is exempt (127.0.0.1, its port and a random path only it knows)
            if (!toWarmUpSink(endpoint)) {
                policy.checkForDelivery(subscription.endpoint());
            }
        } catch (EndpointPolicy.Refused e) {
            LOG.log(Level.FINE, "not sent: {0}", e.getMessage());
            return new PushResult.NotSent(Why.REFUSED_BY_POLICY, e.getMessage());
        } catch (UncheckedIOException e) {
            return new PushResult.NoAnswer("endpoint host does not resolve");
        } catch (IllegalArgumentException | NullPointerException e) {
            return new PushResult.NotSent(Why.INVALID_ENDPOINT, String.valueOf(e.getMessage()));
        }
        return post(endpoint, subscription, payloadJsonUtf8, options);
    }

    /** The warm-up's sink while it runs: pushes to it pass the SSRF rules (see send). */
    volatile WarmUpSink warmUpSink;

    /** Opens the SSRF rules for this sink's address until dismissed (the warm-up at deployment). */
    public void admit(WarmUpSink sink) {
        warmUpSink = sink;
    }

    public void dismiss(WarmUpSink sink) {
        if (warmUpSink == sink) {
            warmUpSink = null;
        }
    }

    /** Whether this endpoint is the open warm-up sink's: such a push is none of a push service's, nor of the doctor's. */
    public boolean toWarmUpSink(URI endpoint) {
        WarmUpSink sink = warmUpSink;
        return sink != null && sink.owns(endpoint);
    }

    PushResult post(URI endpoint, Subscription subscription, byte[] payloadJsonUtf8, PushOptions options) throws InterruptedException {
        byte[] body;
        try {
            body = encryption.encrypt(payloadJsonUtf8, subscription.keys().p256dh(), subscription.keys().auth());
        } catch (PayloadEncryption.UnusableKeys e) {
            return new PushResult.NotSent(Why.UNUSABLE_KEYS, e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("TTL", Long.toString(options.ttlSeconds()))
                .header("Content-Encoding", "aes128gcm")
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", vapid.authorization(endpoint, subscription.vapidKey()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (options.urgency() != null) {
            request.header("Urgency", options.urgency());
        }
        if (options.topic() != null) {
            request.header("Topic", options.topic());
        }
        var gate = streams.gate(endpoint);
        int connection = gate.enter(requestTimeout);
        long entered = streams.now();
        if (connection == HostStreams.Gate.NONE) {
            // the host's streams stayed busy: nothing was sent, so it goes again later without spending a try
            return new PushResult.Busy("no stream to the host free within the request timeout");
        }
        PushResult result;
        boolean gotAnswer = false;
        try {
            result = answered(clients[connection].send(request.build(), ResponseReason::handle));
            gotAnswer = true;
        } catch (IOException e) {
            result = Failures.result(e);
        } finally {
            gate.leave(connection, gotAnswer, entered);
        }
        LOG.log(Level.FINE, "{0} -> {1}", new Object[]{endpoint.getHost(), result});
        return result;
    }

    static PushResult answered(HttpResponse<String> response) {
        var kept = new java.util.TreeMap<String, String>();
        if (response.statusCode() >= 300) {
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (Vocabulary.HEADERS.contains(lower) && !values.isEmpty()) {
                    kept.put(lower, ResponseReason.clean(values.get(0)));
                }
            });
        }
        return new PushResult.Answered(response.statusCode(), response.body(),
                RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null)), kept);
    }
}
