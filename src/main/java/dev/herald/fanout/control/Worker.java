package dev.herald.fanout.control;

import dev.herald.engagement.control.EventTokens;
import dev.herald.fanout.entity.JobSpec;
import dev.herald.fanout.entity.Lane;
import dev.herald.fanout.entity.Rehearsal;
import dev.herald.fanout.entity.Unit;
import dev.herald.push.control.Dispatcher;
import dev.herald.platform.control.RedisClock;
import dev.herald.subscriptions.control.SubscriptionStore;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.exceptions.JedisException;

/**
 * This instance's part of the delivery: a consumer of both lanes in the one consumer group, so
 * that every instance takes a share of every broadcast. One reader thread per lane takes new
 * units while this instance holds fewer than herald.delivery.prefetch of that lane, and takes over
 * what dead instances left; each batch runs on a runner thread; the upkeep thread moves due retries
 * into the streams, renews the lease on what is held, and forgets consumers that are gone.
 * All threads come from the container's ManagedThreadFactory: a permanent loop on the managed
 * executor would trip hung-task detection (WildFly). Redis going away stops no thread: every loop
 * waits and tries again, and what is held is finished and written once Redis is back.
 */
@ApplicationScoped
public class Worker {

    static final Logger LOG = Logger.getLogger(Worker.class.getName());
    /** How long a read waits for new work: well below the Redis client's socket timeout (herald.redis.timeout). */
    static final Duration BLOCK = Duration.ofSeconds(2);
    static final Duration UPKEEP_TICK = Duration.ofSeconds(1);
    /**
     * How often an instance looks at the delayed set at least, even when it is empty, and learns of cancels: a job
     * scheduled on an instance that died right after starts within this of its send_at on another.
     */
    static final Duration EMPTY_DELAYED_POLL = Duration.ofSeconds(1);
    /** Cancels are read again with this overlap, so none falls between two reads. */
    static final long CANCELS_OVERLAP_MILLIS = 5000;
    static final int CANCELS_KEPT = 10_000;
    static final Duration FORGET_EVERY = Duration.ofMinutes(1);
    static final int MESSAGES_CACHED = 256;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    WorkStream streams;

    @Inject
    Settlement settlement;

    @Inject
    DelayedWork delayed;

    @Inject
    JobStore jobs;

    @Inject
    JobWatch watch;

    @Inject
    SubscriptionStore store;

    @Inject
    Dispatcher dispatcher;

    @Inject
    RedisClock clock;

    @Inject
    Throttle throttle;

    @Inject
    EventTokens tokens;

    @Inject
    @ConfigProperty(name = "herald.delivery.default-zone")
    String defaultZoneName;

    @Inject
    @ConfigProperty(name = "herald.instance.name")
    Optional<String> configuredName;

    @Inject
    @ConfigProperty(name = "herald.delivery.prefetch")
    int prefetch;

    @Inject
    @ConfigProperty(name = "herald.delivery.claim-idle")
    Duration claimIdle;

    @Inject
    @ConfigProperty(name = "herald.delivery.max-claims")
    int maxClaims;

    @Inject
    @ConfigProperty(name = "herald.delivery.stop-grace")
    Duration grace;

    String name;
    volatile boolean running;
    final Map<Lane, Semaphore> capacity = new EnumMap<>(Lane.class);
    final Map<String, BatchRun> held = new ConcurrentHashMap<>();
    final List<Thread> loops = new ArrayList<>();
    ThreadPoolExecutor runners;
    /** Guards running against starting a unit: a unit is either started before a stop, or handed back by the stop. */
    final Object starting = new Object();
    /** When a stop's grace period ends (System.nanoTime); set by the stop, before running turns false. */
    volatile long stopDeadline;
    final Object upkeepSignal = new Object();
    volatile long moveDueAt;
    ZoneId defaultZone;
    final Map<String, JobSpec> specs = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobSpec> eldest) {
            return size() > MESSAGES_CACHED;
        }
    });
    /** Jobs cancelled lately, as this instance learned them (its own cancels at once, others' within an upkeep tick). */
    final Set<String> cancelled = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CANCELS_KEPT;
        }
    }));
    /** Herald's clock (ms) from which cancels are still to be read; 0: all kept (the last day's). */
    long cancelsSince;

    /**
     * Starts at deployment, after every other bean's deployment observer (a later priority): the threads
     * started here must find the beans they use already made on the deploying thread. On TomEE 9 a bean
     * first made on one of these threads gets none of the application's configuration (seen: the Redis
     * bean with a pool of 0 connections, when this observer happened to run first).
     */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) @Initialized(ApplicationScoped.class) Object ignored) {
        name = InstanceName.of(configuredName);
        try {
            defaultZone = ZoneId.of(defaultZoneName);
        } catch (java.time.DateTimeException e) {
            throw new IllegalStateException("herald.delivery.default-zone '" + defaultZoneName + "' is not a time zone Java knows "
                    + "(an IANA name such as UTC or Europe/Berlin): " + e.getMessage(), e);
        }
        for (Lane lane : Lane.values()) {
            capacity.put(lane, new Semaphore(Math.max(1, prefetch)));
        }
        runners = runners(Lane.values().length * Math.max(1, prefetch), threads);
        watch.onFirstWait = this::wakeUpkeep;
        running = true;
        for (Lane lane : Lane.values()) {
            loops.add(start("herald-read-" + lane.key(), () -> read(lane)));
        }
        loops.add(start("herald-upkeep", this::upkeep));
        LOG.info(() -> "delivery: consumer '" + name + "' of both lanes, prefetch " + prefetch + " batches per lane, claim-idle "
                + claimIdle + ", max-claims " + maxClaims);
    }

    /**
     * The batch runners: one thread for every unit the lanes may hold at once (the capacity semaphores bound what is
     * queued), each ending after 30 s idle. Core size, not only maximum: with an unbounded queue a pool never grows past
     * its core size, and a core of 0 ran every batch of both lanes on one thread, one after the other (a priority job
     * waited for the bulk batch before it, and each batch's last answers left the senders idle).
     */
    static ThreadPoolExecutor runners(int size, java.util.concurrent.ThreadFactory threads) {
        var pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    Thread start(String threadName, Runnable loop) {
        Thread thread = threads.newThread(loop);
        thread.setName(threadName);
        thread.start();
        return thread;
    }

    public String name() {
        return name;
    }

    /**
     * One lane's reader, the only one to take work for this lane, so it alone keeps the lane under
     * prefetch: what this consumer held before a restart (by its configured name), then, every
     * claim-idle/2, what dead consumers left idle for claim-idle, and otherwise new work.
     */
    void read(Lane lane) {
        var backoff = new Pause();
        boolean ready = false;
        long reclaimEvery = Math.max(TimeUnit.MILLISECONDS.toNanos(200), claimIdle.toNanos() / 2);
        long reclaimAt = System.nanoTime();
        while (running) {
            Semaphore room = capacity.get(lane);
            int reserved = 0;
            try {
                if (!room.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                if (!running) {
                    // a stopping batch gave its place back: nothing more is read
                    room.release();
                    break;
                }
                reserved = 1 + room.drainPermits();
                if (!ready) {
                    streams.ensureGroup(lane);
                    ready = true;
                    if (configuredName.filter(given -> !given.isBlank()).isPresent()) {
                        // the same name as before a restart: what it held is taken back now, not after claim-idle
                        reserved = hold(streams.readOwnPending(lane, name, reserved), reserved, room);
                        continue;
                    }
                }
                if (System.nanoTime() - reclaimAt >= 0) {
                    reclaimAt = System.nanoTime() + reclaimEvery;
                    var taken = streams.reclaim(lane, name, claimIdle, reserved);
                    if (!taken.isEmpty()) {
                        LOG.info(() -> "took over " + taken.size() + " unit(s) of the " + lane.key() + " lane, idle for over " + claimIdle);
                    }
                    reserved = hold(taken, reserved, room);
                    if (reserved == 0) {
                        continue;
                    }
                }
                var units = streams.read(lane, name, reserved, BLOCK);
                reserved = hold(units, reserved, room);
                backoff.reset();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (JedisException e) {
                room.release(reserved);
                reserved = 0;
                if (String.valueOf(e.getMessage()).startsWith("NOGROUP")) {
                    // a Redis that lost its data: the stream and group are made again
                    ignoreFailure(() -> streams.ensureGroup(lane));
                } else {
                    backoff.failed("reading the " + lane.key() + " lane", e);
                }
            } catch (RuntimeException e) {
                room.release(reserved);
                reserved = 0;
                backoff.failed("reading the " + lane.key() + " lane", e);
            } finally {
                room.release(reserved);
            }
        }
    }

    /** Starts the units read, each holding one of the reserved places; returns how many places are left over. */
    int hold(List<Unit> units, int reserved, Semaphore room) {
        for (Unit unit : units) {
            reserved--;
            startUnit(unit, room);
        }
        return reserved;
    }

    void startUnit(Unit unit, Semaphore room) {
        if (unit.deliveries() > maxClaims) {
            try {
                settlement.deadLetter(unit, "given up after " + unit.deliveries() + " deliveries: the instances that held it "
                        + "stopped before finishing it (herald.delivery.max-claims " + maxClaims + ")");
                LOG.warning(() -> "notification " + unit.jobId() + ": " + unit.kind().name().toLowerCase() + " " + unit.entryId()
                        + " was delivered " + unit.deliveries() + " times without being finished; moved to the dead letters");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not move " + unit.entryId() + " to the dead letters; it stays pending", e);
            }
            room.release();
            return;
        }
        if (unit.kind() == Unit.Kind.WALK) {
            try {
                settlement.walk(unit);
            } catch (RuntimeException e) {
                // stays pending in this consumer's list: taken over again after claim-idle
                LOG.log(Level.WARNING, "notification " + unit.jobId() + ": walk step failed; it is retried", e);
            } finally {
                room.release();
            }
            return;
        }
        var run = new BatchRun(unit);
        synchronized (starting) {
            held.put(unit.entryId(), run);
            if (running) {
                try {
                    runners.execute(() -> runBatch(run, room));
                } catch (RuntimeException e) {
                    held.remove(unit.entryId());
                    room.release();
                    throw e;
                }
                return;
            }
            // read while the instance began to stop: it is handed back at once, here, as stop() hands back the others
            run.stop(stopDeadline);
        }
        runBatch(run, room);
    }

    void runBatch(BatchRun run, Semaphore room) {
        Unit unit = run.unit;
        try {
            Optional<JobSpec> spec = whileRedisAnswers(run, () -> spec(unit.jobId()));
            if (spec.isEmpty() || cancelled.contains(unit.jobId())) {
                // the job's record is gone, or it was cancelled: the settle script only acks and deletes the entry
                settleUntilWritten(unit, run.tally, run);
                return;
            }
            var records = whileRedisAnswers(run, () -> store.load(unit.items().stream().map(Unit.Item::id).toList()));
            boolean paced = spec.get().localTime() != null || spec.get().throttled();
            long clockMillis = paced ? whileRedisAnswers(run, () -> clock.now().toEpochMilli()) : 0;
            whileRedisAnswers(run, () -> tokens.ready());
            var context = new BatchRun.Context(clockMillis, System.nanoTime(), throttle, defaultZone,
                    () -> cancelled.contains(unit.jobId()), tokens);
            run.deliver(spec.get(), records, dispatcher, context);
            if (!run.lost) {
                settleUntilWritten(unit, run.tally, run);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "notification " + unit.jobId() + ": batch " + unit.entryId() + " failed; it is taken over "
                    + "after herald.delivery.claim-idle", e);
        } finally {
            held.remove(unit.entryId());
            room.release();
        }
    }

    /**
     * One batch of the deployment's warm-up (warmup.control.WarmUp), on a runner thread as runBatch runs a real one: the
     * stored records of readIds are read (as a batch reads its own; a Redis that is away is skipped), then the batch
     * delivers to the records given (the warm-up sink's), and its tally is made into the settle script's arguments.
     * Nothing is written: the script never runs, so no job, counter or list ever shows the warm-up.
     */
    public java.util.concurrent.CompletableFuture<Rehearsal> rehearse(String jobId, JobSpec spec, List<String> readIds,
            List<List<String>> records) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            if (!readIds.isEmpty()) {
                try {
                    store.load(readIds);
                } catch (JedisException e) {
                    // only a read to warm its code: the batch goes on without it
                }
            }
            var items = records.stream().map(record -> new Unit.Item(dev.herald.platform.control.Uuids.random(), 0)).toList();
            var unit = new Unit(Lane.BULK, "0-0", jobId, Unit.Kind.BATCH, "", items, 1);
            var run = new BatchRun(unit);
            var context = new BatchRun.Context(0, System.nanoTime(), throttle, defaultZone, () -> !running, tokens);
            try {
                run.deliver(spec, records, dispatcher, context);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CompletionException(e);
            }
            settlement.arguments(unit, run.tally, name);
            return run.tally.rehearsal();
        }, runners);
    }

    /** Runs a read for a batch, trying again while Redis is away, unless the batch is stopped or lost meanwhile. */
    <T> T whileRedisAnswers(BatchRun run, java.util.function.Supplier<T> read) throws InterruptedException {
        var backoff = new Pause();
        while (true) {
            try {
                T result = read.get();
                backoff.reset();
                return result;
            } catch (JedisException e) {
                if (run.lost || run.stopping) {
                    throw e;
                }
                backoff.failedAndWait("reading batch " + run.unit.entryId(), e);
            }
        }
    }

    Optional<JobSpec> spec(String jobId) {
        JobSpec cached = specs.get(jobId);
        if (cached != null) {
            return Optional.of(cached);
        }
        var found = jobs.spec(jobId);
        found.ifPresent(spec -> specs.put(jobId, spec));
        return found;
    }

    /** A job cancelled on this instance: its batches here stop at once (others learn of it from Redis). */
    public void cancelled(String jobId) {
        cancelled.add(jobId);
    }

    /** Writes the tally with the ack, trying again while Redis is away, until it lands or the batch is no longer ours. */
    void settleUntilWritten(Unit unit, Tally tally, BatchRun run) throws InterruptedException {
        var backoff = new Pause();
        while (true) {
            try {
                long open = settlement.settle(unit, tally, name);
                if (open == Settlement.NOT_PENDING) {
                    LOG.fine(() -> "batch " + unit.entryId() + " was finished by another consumer; this tally is dropped");
                } else if (open == 0) {
                    watch.finished(unit.jobId());
                    ignoreFailure(() -> jobs.report(unit.jobId()).ifPresent(r -> LOG.info(() -> "notification " + r.id() + " done: " + r.toJson())));
                }
                if (tally.laterCount() > 0) {
                    dueSoon(tally.later.keySet().iterator().next());
                }
                return;
            } catch (JedisException e) {
                if (run != null && (run.lost || run.stopping && System.nanoTime() > run.stopDeadline + grace.toNanos())) {
                    LOG.warning(() -> "batch " + unit.entryId() + " could not be written before stopping (" + e.getMessage()
                            + "); another instance takes it over after herald.delivery.claim-idle");
                    return;
                }
                backoff.failedAndWait("writing the outcome of batch " + unit.entryId(), e);
            }
        }
    }

    /** The upkeep thread: due retries, leases, gone consumers, and Prefer: wait. */
    void upkeep() {
        long renewEvery = Math.max(TimeUnit.MILLISECONDS.toNanos(200), claimIdle.toNanos() / 3);
        long now = System.nanoTime();
        long renewAt = now + renewEvery;
        long forgetAt = now + FORGET_EVERY.toNanos();
        moveDueAt = now;
        var backoff = new Pause();
        while (running) {
            try {
                now = System.nanoTime();
                if (now - moveDueAt >= 0) {
                    var moved = delayed.moveDue(cancelsSince);
                    cancelled.addAll(moved.cancelled());
                    cancelsSince = Math.max(1, moved.now() - CANCELS_OVERLAP_MILLIS);
                    Duration next = moved.nextDueIn() == null ? EMPTY_DELAYED_POLL
                            : moved.nextDueIn().compareTo(UPKEEP_TICK) > 0 ? UPKEEP_TICK : moved.nextDueIn();
                    moveDueAt = now + Math.max(TimeUnit.MILLISECONDS.toNanos(5), next.toNanos());
                }
                if (now - renewAt >= 0) {
                    renewLeases();
                    renewAt = now + renewEvery;
                }
                if (now - forgetAt >= 0) {
                    forgetGone();
                    forgetAt = now + FORGET_EVERY.toNanos();
                }
                if (watch.anyAwaited()) {
                    watch.poll();
                }
                backoff.reset();
                long wake = Math.min(moveDueAt, renewAt) - System.nanoTime();
                if (watch.anyAwaited()) {
                    wake = Math.min(wake, JobWatch.POLL.toNanos());
                }
                synchronized (upkeepSignal) {
                    if (running && wake > 0) {
                        TimeUnit.NANOSECONDS.timedWait(upkeepSignal, Math.min(wake, UPKEEP_TICK.toNanos()));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                try {
                    backoff.failedAndWait("delivery upkeep", e);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    void wakeUpkeep() {
        synchronized (upkeepSignal) {
            upkeepSignal.notifyAll();
        }
    }

    /** Some retry is due in about this long: move it then, not at the next tick. */
    void dueSoon(long inMillis) {
        long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(inMillis);
        if (at - moveDueAt < 0) {
            moveDueAt = at;
            synchronized (upkeepSignal) {
                upkeepSignal.notifyAll();
            }
        }
    }

    void renewLeases() {
        for (Lane lane : Lane.values()) {
            var ids = held.values().stream().filter(run -> run.unit.lane() == lane).map(run -> run.unit.entryId()).toList();
            for (String lost : streams.renew(lane, name, ids)) {
                BatchRun run = held.get(lost);
                if (run != null) {
                    LOG.warning(() -> "notification " + run.unit.jobId() + ": batch " + lost + " was taken over by another instance "
                            + "(this one did not renew its lease within herald.delivery.claim-idle); stopping it here");
                    run.lose();
                }
            }
        }
    }

    void forgetGone() {
        for (Lane lane : Lane.values()) {
            var gone = streams.forgetGone(lane, claimIdle.multipliedBy(10));
            if (!gone.isEmpty()) {
                // also live consumers that found nothing to read for that long (Redis before 7.2 counts only reads that
                // returned something): harmless, a consumer with nothing pending is made again by its next read
                LOG.fine(() -> "removed consumer(s) " + gone + " from the " + lane.key() + " lane: nothing pending, idle for over "
                        + claimIdle.multipliedBy(10));
            }
        }
    }

    /**
     * Graceful stop (undeploy, SIGTERM), while every bean is still there: no new reads; the batches
     * held finish or, after herald.delivery.stop-grace, hand back what is left as a new entry in the
     * same settle script, so other instances go on at once instead of waiting out claim-idle.
     */
    void onStop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
        stop();
    }

    @PreDestroy
    synchronized void stop() {
        synchronized (starting) {
            if (!running) {
                return;
            }
            stopDeadline = System.nanoTime() + grace.toNanos();
            running = false;
            // a unit a reader has just read is either among these, or sees running false and is handed back by its reader
            held.values().forEach(run -> run.stop(stopDeadline));
        }
        watch.releaseAll();
        synchronized (upkeepSignal) {
            upkeepSignal.notifyAll();
        }
        runners.shutdown();
        try {
            // the settle after the grace period may wait a little for Redis; then what is left is for claim-idle
            if (!runners.awaitTermination(grace.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS)) {
                LOG.warning("delivery: batches still running after the stop grace period; they are taken over after claim-idle");
                runners.shutdownNow();
            }
            for (Thread loop : loops) {
                // a reader's last read may return units after the stop: it hands them back before it ends
                loop.join(BLOCK.toMillis() + grace.toMillis() + 1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = held.size();
        LOG.info(() -> "delivery: consumer '" + name + "' stopped" + (left > 0 ? "; " + left + " batch(es) left for take-over" : ""));
    }

    static void ignoreFailure(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "ignored", e);
        }
    }

    /** Waiting after a failure: 100 ms doubling to 5 s, and one log line per outage, not per try. */
    static final class Pause {
        long millis = 0;

        void reset() {
            if (millis > 0) {
                LOG.info("delivery: Redis answers again");
            }
            millis = 0;
        }

        void failed(String what, Exception e) {
            try {
                failedAndWait(what, e);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        void failedAndWait(String what, Exception e) throws InterruptedException {
            if (millis == 0) {
                LOG.log(e instanceof JedisException ? Level.WARNING : Level.SEVERE, "delivery: " + what + " failed (" + e
                        + "); trying again until it works", e instanceof JedisException ? null : e);
            }
            millis = millis == 0 ? 100 : Math.min(5000, millis * 2);
            Thread.sleep(millis);
        }
    }
}
