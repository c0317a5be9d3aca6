package dev.herald.warmup.control;

import dev.herald.encryption.control.P256;
import dev.herald.engagement.control.EventTokens;
import dev.herald.fanout.control.Worker;
import dev.herald.fanout.entity.JobSpec;
import dev.herald.fanout.entity.Rehearsal;
import dev.herald.notifications.control.DeclarativePayload;
import dev.herald.notifications.control.NotificationParser;
import dev.herald.notifications.control.PayloadSettings;
import dev.herald.platform.control.JsonBody;
import dev.herald.platform.control.Uuids;
import dev.herald.push.control.PushClient;
import dev.herald.push.control.WarmUpSink;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.PushOptions;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.entity.Subscription;
import dev.herald.warmup.entity.WarmUpState;
import dev.herald.warmup.entity.WarmUpState.Phase;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Warms a fresh instance's hot paths at deployment, so that its first broadcast is not its slowest (README
 * "Performance"): herald.warm-up.pushes pushes go out in batches exactly as a broadcast's do (Worker.rehearse: a runner
 * thread, a read of stored records, BatchRun with each push's engagement token, the Dispatcher's permits and sender
 * threads, encryption, the VAPID header, the HTTP client, the rule table, the settle script's arguments), to a sink of
 * Herald's own on loopback (WarmUpSink) that PushClient admits past the SSRF rules while it is open. Nothing goes to a
 * push service and nothing is written to Redis. Then it gives the JIT compiler up to COMPILER_WAIT_MAX to catch up with
 * what the pushes made hot (on two cores it otherwise compiles through the first broadcast). Readiness is DOWN while it
 * runs (a load balancer keeps visitors away for those seconds). A push that does not get through is counted and the rest
 * go on; when most do not, it ends early and says why. Either way it is logged and readiness is not held back.
 */
@ApplicationScoped
public class WarmUp {

    static final Logger LOG = Logger.getLogger(WarmUp.class.getName());
    static final int MISSES_TO_STOP = 20;
    static final Duration COMPILER_WAIT_MAX = Duration.ofSeconds(10);
    static final Duration COMPILER_SAMPLE = Duration.ofMillis(250);
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
    Worker worker;

    @Inject
    SubscriptionStore store;

    @Inject
    @ConfigProperty(name = "herald.warm-up.pushes")
    int pushes;

    @Inject
    @ConfigProperty(name = "herald.delivery.batch-size")
    int batchSize;

    @Inject
    @ConfigProperty(name = "herald.delivery.prefetch")
    int prefetch;

    @Resource
    ManagedThreadFactory threads;

    final AtomicReference<WarmUpState> state = new AtomicReference<>(new WarmUpState(Phase.RUNNING, 0, Duration.ZERO, "not started"));
    final AtomicLong sent = new AtomicLong();
    /** Pushes that ended otherwise than sent; a few (a connection lost on a busy machine) do not end the warm-up. */
    final AtomicLong missed = new AtomicLong();
    final AtomicReference<String> firstMiss = new AtomicReference<>();
    volatile long startedNanos;
    volatile boolean stopping;
    volatile WarmUpSink sink;

    /** After the Worker's start (a later priority): its batches run on the Worker's runner threads. */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 100) @Initialized(ApplicationScoped.class) Object ignored) {
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
            loadTokenSecret();
            var keys = keys();
            var job = job();
            var readIds = storedIds();
            client.admit(opened);
            long dispatched = 0;
            try {
                var window = new Semaphore(Math.max(1, prefetch));
                var ends = new ArrayList<CompletableFuture<Void>>();
                while (dispatched < pushes && !stopping && !failing()) {
                    int size = (int) Math.min(Math.max(1, batchSize), pushes - dispatched);
                    var records = records(opened, dispatched, size, keys);
                    while (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                        stopIfUndeployed();
                    }
                    ends.add(worker.rehearse(job.id(), job.spec(), readIds, records).handle((batch, e) -> {
                        count(batch, e, size);
                        window.release();
                        return null;
                    }));
                    dispatched += size;
                }
                // every push settles (an answer, or the request timeout); an undeployment may end the runners first
                var all = CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new));
                while (!all.isDone()) {
                    stopIfUndeployed();
                    try {
                        all.get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        // look at stopping again
                    }
                }
            } finally {
                client.dismiss(opened);
            }
            if (missed.get() > sent.get()) {
                throw new IllegalStateException(missed.get() + " of " + dispatched + " warm-up pushes did not get through, the first: "
                        + firstMiss.get());
            }
            Duration compiling = awaitCompiler();
            Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
            long answered = opened.answered();
            String misses = missed.get() == 0 ? "" : " (" + missed.get() + " did not get through, the first: " + firstMiss.get() + ")";
            String report = answered + " pushes to a loopback sink in " + took.toMillis() + " ms, the last " + compiling.toMillis()
                    + " ms of it waiting for the JIT compiler" + misses;
            state.set(new WarmUpState(Phase.DONE, answered, took, report));
            LOG.info(() -> "warm-up: " + report);
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

    void stopIfUndeployed() {
        if (stopping) {
            throw new IllegalStateException("stopped by undeployment");
        }
    }

    /** A batch's end: its pushes counted as sent or not; a batch that failed as a whole counts all of its pushes as not sent. */
    void count(Rehearsal batch, Throwable failure, int size) {
        if (failure != null) {
            missed.addAndGet(size);
            firstMiss.compareAndSet(null, String.valueOf(failure));
            return;
        }
        sent.addAndGet(batch.sent());
        if (batch.notSent() > 0) {
            missed.addAndGet(batch.notSent());
            firstMiss.compareAndSet(null, batch.firstReason());
        }
    }

    /** Most of the pushes so far did not get through (at least MISSES_TO_STOP of them): the path is broken, not busy; stop. */
    boolean failing() {
        long misses = missed.get();
        return misses >= MISSES_TO_STOP && misses > sent.get();
    }

    /**
     * Waits until the JIT compiler has caught up with what the pushes made hot, at most COMPILER_WAIT_MAX: until a sample
     * period in which the compiler threads (summed) were busy for less than a quarter of it. Where the JVM does not
     * report compilation time, it does not wait. Returns how long it waited.
     */
    Duration awaitCompiler() throws InterruptedException {
        var compiler = ManagementFactory.getCompilationMXBean();
        long begun = System.nanoTime();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
            return Duration.ZERO;
        }
        long sample = COMPILER_SAMPLE.toMillis();
        long compiled = compiler.getTotalCompilationTime();
        while (!stopping && System.nanoTime() - begun < COMPILER_WAIT_MAX.toNanos()) {
            Thread.sleep(sample);
            long now = compiler.getTotalCompilationTime();
            boolean quiet = now - compiled < sample / 4;
            compiled = now;
            if (quiet) {
                break;
            }
        }
        return Duration.ofNanos(System.nanoTime() - begun);
    }

    /** The engagement secret, read from Redis here when the deployment could not (Redis away: made-up tokens, same work). */
    void loadTokenSecret() {
        try {
            tokens.ready();
        } catch (RuntimeException e) {
            LOG.fine(() -> "warm-up: no engagement secret (" + e + "); warming with made-up tokens");
        }
    }

    /** Up to a batch of stored ids, whose records each warm-up batch reads as a real one would; none while Redis is away. */
    List<String> storedIds() {
        try {
            return store.firstIds(Math.max(1, batchSize));
        } catch (RuntimeException e) {
            LOG.fine(() -> "warm-up: no stored subscriptions read (" + e + ")");
            return List.of();
        }
    }

    /** A batch's records as SubscriptionStore.load gives them (endpoint, keys, expiration, zone, VAPID key), each to the sink. */
    List<List<String>> records(WarmUpSink to, long first, int count, Subscription.Keys keys) {
        String keysField = new Subscription(null, null, keys).keysField();
        var records = new ArrayList<List<String>>(count);
        for (long number = first; number < first + count; number++) {
            records.add(Arrays.asList(to.endpoint(number).toString(), keysField, null, null, null));
        }
        return records;
    }

    record Job(String id, JobSpec spec) {
    }

    /**
     * A job as the intake stores it: the message with its token marker, each push's token made by the batch. While Redis
     * is away (no engagement secret), a made-up token of the same length is in the message already (nothing checks it).
     */
    Job job() {
        String jobId = Uuids.random();
        byte[] payload;
        try (var reader = JsonBody.PROVIDER.createReader(new StringReader(NOTIFICATION))) {
            var display = NotificationParser.parse(reader.readObject()).display();
            payload = DeclarativePayload.forJob(display, jobId, payloads.format()).bytes();
        }
        if (!tokens.known()) {
            byte[] made = new byte[48];
            new SecureRandom().nextBytes(made);
            payload = EventTokens.fill(EventTokens.split(payload), Base64.getUrlEncoder().withoutPadding().encode(made));
        }
        return new Job(jobId, new JobSpec(new Message(payload, OPTIONS), Instant.now(), null, 0));
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
