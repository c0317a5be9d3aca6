package dev.herald.warmup.control;

import dev.herald.encryption.control.P256;
import dev.herald.engagement.control.EventTokens;
import dev.herald.notifications.control.DeclarativePayload;
import dev.herald.notifications.control.NotificationParser;
import dev.herald.notifications.control.PayloadSettings;
import dev.herald.platform.control.JsonBody;
import dev.herald.platform.control.Uuids;
import dev.herald.push.control.PushClient;
import dev.herald.push.control.Dispatcher;
import dev.herald.push.control.WarmUpSink;
import dev.herald.push.entity.PushOptions;
import dev.herald.push.entity.Push;
import dev.herald.push.entity.Settled;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.warmup.entity.WarmUpState;
import dev.herald.warmup.entity.WarmUpState.Phase;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Warms a fresh instance's hot paths at deployment, so that its first broadcast is not its slowest (README
 * "Performance"): herald.warm-up.pushes pushes go through the Dispatcher exactly as a batch's do (the message JSON, each
 * push's engagement token, the in-flight permits and sender threads, encryption, the VAPID header, the HTTP client, the
 * rule table), to a sink of Herald's own on loopback (WarmUpSink) that PushClient admits past the SSRF rules while it is
 * open. Nothing goes to a push service and nothing is written to Redis. Readiness is DOWN while it runs (a load balancer
 * keeps visitors away for those seconds). A push that does not get through is counted and the rest go on; when most do not,
 * it ends early and says why. Either way it is logged and readiness is not held back.
 */
@ApplicationScoped
public class WarmUp {

    static final Logger LOG = Logger.getLogger(WarmUp.class.getName());
    static final int MISSES_TO_STOP = 20;
    static final PushOptions OPTIONS = new PushOptions(60, "normal", null);
    static final String NOTIFICATION = """
            {"title": "Herald warms up", "body": "A message like a broadcast's, sent to Herald's own loopback sink only.",
             "url": "/warm-up", "icon": "/icon.png", "tag": "warm-up", "actions": [{"action": "open", "title": "Open"}],
             "data": {"warm": true}}""";

    @Inject
    PushClient client;

    @Inject
    PayloadSettings payloads;

    @Inject
    EventTokens tokens;

    @Inject
    Dispatcher dispatcher;

    @Inject
    @ConfigProperty(name = "herald.warm-up.pushes")
    int pushes;

    @Resource
    ManagedThreadFactory threads;

    final AtomicReference<WarmUpState> state = new AtomicReference<>(new WarmUpState(Phase.RUNNING, 0, Duration.ZERO, "not started"));
    final AtomicLong sent = new AtomicLong();
    /** Pushes that settled otherwise than sent; a few (a connection lost on a busy machine) do not end the warm-up. */
    final AtomicLong missed = new AtomicLong();
    final AtomicReference<String> firstMiss = new AtomicReference<>();
    volatile long startedNanos;
    volatile boolean stopping;
    volatile WarmUpSink sink;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (pushes <= 0) {
            state.set(new WarmUpState(Phase.OFF, 0, Duration.ZERO, "herald.warm-up.pushes is " + pushes));
            return;
        }
        startedNanos = System.nanoTime();
        state.set(new WarmUpState(Phase.RUNNING, 0, Duration.ZERO, "warming the delivery path with " + pushes + " pushes to a loopback sink"));
        threads.newThread(this::run).start();
    }

    /** Where it is: readiness reports it. */
    public WarmUpState state() {
        WarmUpState known = state.get();
        return known.phase() == Phase.RUNNING && startedNanos != 0
                ? new WarmUpState(Phase.RUNNING, sent.get(), Duration.ofNanos(System.nanoTime() - startedNanos), known.detail()) : known;
    }

    void run() {
        try (var opened = WarmUpSink.start(threads)) {
            sink = opened;
            var message = message();
            var keys = keys();
            loadTokenSecret();
            client.admit(opened);
            var settled = new Semaphore(0);
            long dispatched = 0;
            try {
                for (long push = 0; push < pushes && !stopping && !failing(); push++) {
                    dispatcher.dispatch(push(opened, push, message, keys), outcome -> {
                        if (outcome.kind() == Settled.Kind.SENT) {
                            sent.incrementAndGet();
                        } else {
                            missed.incrementAndGet();
                            firstMiss.compareAndSet(null, String.valueOf(outcome));
                        }
                        settled.release();
                    });
                    dispatched++;
                }
                // every push settles (an answer, or the request timeout); an undeployment may end the senders first
                while (!settled.tryAcquire((int) dispatched, 1, TimeUnit.SECONDS)) {
                    if (stopping) {
                        throw new IllegalStateException("stopped by undeployment");
                    }
                }
            } finally {
                client.dismiss(opened);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
            if (missed.get() > sent.get()) {
                throw new IllegalStateException(missed.get() + " of " + dispatched + " warm-up pushes did not get through, the first: "
                        + firstMiss.get());
            }
            long answered = opened.answered();
            String misses = missed.get() == 0 ? "" : " (" + missed.get() + " did not get through, the first: " + firstMiss.get() + ")";
            state.set(new WarmUpState(Phase.DONE, answered, took, answered + " pushes to a loopback sink in " + took.toMillis() + " ms" + misses));
            LOG.info(() -> "warm-up: " + answered + " pushes through the delivery path to a loopback sink in " + took.toMillis() + " ms" + misses);
        } catch (Throwable e) {
            Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
            String why = stopping ? "stopped by undeployment" : String.valueOf(e);
            state.set(new WarmUpState(Phase.FAILED, sent.get(), took, why));
            if (!stopping) {
                LOG.log(Level.WARNING, "warm-up ended early (the first broadcast will be slower, nothing else changes): " + why, e);
            }
        } finally {
            sink = null;
        }
    }

    /** Most of the pushes so far did not get through (at least MISSES_TO_STOP of them): the path is broken, not busy; stop. */
    boolean failing() {
        long misses = missed.get();
        return misses >= MISSES_TO_STOP && misses > sent.get();
    }

    /** The engagement secret, read from Redis here when the deployment could not (Redis away: made-up tokens, same work). */
    void loadTokenSecret() {
        try {
            tokens.ready();
        } catch (RuntimeException e) {
            LOG.fine(() -> "warm-up: no engagement secret (" + e + "); warming with made-up tokens");
        }
    }

    /** One push as a batch makes it: the job's message with this push's engagement token, to a sink address of its own. */
    Push push(WarmUpSink to, long number, Message message, Subscription.Keys keys) {
        String subscriptionId = Uuids.random();
        byte[] payload = EventTokens.fill(message.parts(), token(message.jobId(), subscriptionId));
        return new Push(message.jobId(), subscriptionId, new Subscription(to.endpoint(number).toString(), null, keys),
                new dev.herald.push.entity.Message(payload, OPTIONS), 0, false);
    }

    /** A real token while the secret is known; a made-up one of the same length while Redis is away (nothing checks it). */
    byte[] token(String jobId, String subscriptionId) {
        if (tokens.known()) {
            return tokens.token(jobId, subscriptionId);
        }
        byte[] made = new byte[48];
        new SecureRandom().nextBytes(made);
        return Base64.getUrlEncoder().withoutPadding().encode(made);
    }

    record Message(String jobId, byte[][] parts) {
    }

    Message message() {
        String jobId = Uuids.random();
        try (var reader = JsonBody.PROVIDER.createReader(new StringReader(NOTIFICATION))) {
            var display = NotificationParser.parse(reader.readObject()).display();
            return new Message(jobId, EventTokens.split(DeclarativePayload.forJob(display, jobId, payloads.format()).bytes()));
        }
    }

    /** A browser's keys, made here: p256dh an uncompressed P-256 point, auth 16 random bytes. */
    static Subscription.Keys keys() throws GeneralSecurityException {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] auth = new byte[16];
        new SecureRandom().nextBytes(auth);
        var encoder = Base64.getUrlEncoder().withoutPadding();
        return new Subscription.Keys(encoder.encodeToString(P256.uncompressed((ECPublicKey) generator.generateKeyPair().getPublic())),
                encoder.encodeToString(auth));
    }

    @PreDestroy
    void stop() {
        stopping = true;
        WarmUpSink open = sink;
        if (open != null) {
            try {
                open.close();
            } catch (java.io.IOException e) {
                // closing anyway
            }
        }
    }
}
