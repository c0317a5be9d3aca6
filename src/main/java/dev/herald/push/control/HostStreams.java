package dev.herald.push.control;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * At most limit pushes in flight per HTTP/2 connection to an https host (herald.push.max-streams-per-host), over at
 * most connections connections per host (herald.push.connections-per-host, one HttpClient each: the JDK's keeps one
 * HTTP/2 connection per host). The JDK client fails a request beyond the peer's SETTINGS_MAX_CONCURRENT_STREAMS ("too
 * many concurrent streams", JDK-8225647) instead of queueing it; and while it has no connection to a host yet, each
 * request opens one of its own (a TLS handshake each, all but one closed again). So the first push on a connection, or
 * the first after it got no answer at all (the connection may be gone) or after a pause, goes alone; the others follow
 * once it is answered, when the connection and the peer's SETTINGS exist. Open connections are used in order, and another
 * one opens only when the open ones are full, so a host with up to limit pushes in flight keeps to one connection. http hosts
 * (HTTP/1.1, one connection per request in flight) and limit 0 are not capped and use connection 0.
 */
final class HostStreams {

    /** After this long with nothing in flight the peer may have closed the idle connection: go alone again. */
    static final Duration IDLE = Duration.ofSeconds(30);

    final int limit;
    final int connections;
    /** System.nanoTime, or a test's clock. */
    final LongSupplier clock;
    /** Told each time a push starts to wait at a gate, holding the gate's monitor (tests wait on it); else nothing. */
    final Runnable waits;
    final Map<String, Gate> gates = new ConcurrentHashMap<>();

    HostStreams(int limit, int connections) {
        this(limit, connections, System::nanoTime, Gate.NOTHING);
    }

    HostStreams(int limit, int connections, LongSupplier clock, Runnable waits) {
        this.limit = limit;
        this.connections = connections;
        this.clock = clock;
        this.waits = waits;
    }

    /** The time a push enters its gate, for leave. */
    long now() {
        return clock.getAsLong();
    }

    /** The gate of the endpoint's host, or an open one when the host is not capped. */
    Gate gate(URI endpoint) {
        if (limit <= 0 || !"https".equalsIgnoreCase(endpoint.getScheme())) {
            return Gate.OPEN;
        }
        String key = endpoint.getHost().toLowerCase(Locale.ROOT) + ":" + endpoint.getPort();
        return gates.computeIfAbsent(key, k -> new Gate(limit, connections, clock, waits));
    }

    /** One host's connections: how many pushes each has in flight, and whether it is known to be open (warm). */
    static final class Gate {

        /** enter's answer when no slot came in time. */
        static final int NONE = -1;
        static final Runnable NOTHING = () -> { };
        static final Gate OPEN = new Gate(0, 1, System::nanoTime, NOTHING);

        final int limit;
        final LongSupplier clock;
        final Runnable waits;
        final int[] inFlight;
        final boolean[] warm;
        final long[] lastAnswer;
        /** The connection whose one push is finding out whether it is open, or NONE: one at a time per host. */
        int probing = NONE;
        /** Where the search for a connection to open starts: 0, or the one after a connection whose probe got no answer. */
        int nextProbe;

        Gate(int limit, int connections, LongSupplier clock, Runnable waits) {
            this.limit = limit;
            this.clock = clock;
            this.waits = waits;
            this.inFlight = new int[connections];
            this.warm = new boolean[connections];
            this.lastAnswer = new long[connections];
        }

        /**
         * Waits at most wait for a slot; the connection it is on (0 to connections - 1), or NONE when none came. The caller
         * gives leave the time (HostStreams.now) of its entry.
         */
        synchronized int enter(Duration wait) throws InterruptedException {
            if (limit == 0) {
                return 0;
            }
            long end = System.nanoTime() + wait.toNanos();
            while (true) {
                int connection = free(clock.getAsLong());
                if (connection != NONE) {
                    if (!warm[connection]) {
                        probing = connection;
                    }
                    inFlight[connection]++;
                    return connection;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    notify(); // a wake-up this thread may have taken goes on to the next waiter
                    return NONE;
                }
                waits.run(); // still holding the monitor: whoever takes it next finds this push waiting
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /**
         * The first open (warm) connection below the limit; else, unless a probe is out, a connection not known to be
         * open with nothing in flight, searched from nextProbe (its one push opens it); else none. So connections open one
         * at a time, in order, each only when the open ones are full, and a connection that lost its answers does not keep
         * the others from opening.
         */
        int free(long now) {
            for (int connection = 0; connection < inFlight.length; connection++) {
                if (warm[connection] && inFlight[connection] == 0 && now - lastAnswer[connection] > IDLE.toNanos()) {
                    warm[connection] = false;
                }
                if (warm[connection] && inFlight[connection] < limit) {
                    return connection;
                }
            }
            if (probing != NONE) {
                return NONE;
            }
            for (int i = 0; i < inFlight.length; i++) {
                int connection = (nextProbe + i) % inFlight.length;
                if (!warm[connection] && inFlight[connection] == 0) {
                    return connection;
                }
            }
            return NONE;
        }

        /**
         * The push that entered on this connection at entered (HostStreams.now) is over; answered: the host sent an HTTP
         * answer (any status). Without an answer the connection counts as not open only if nothing else was answered on
         * it since this push entered (one slow push does not close a busy connection). One slot is free, so one waiter is
         * woken (with up to max-in-flight threads waiting at one host, waking all of them on every answer cost more CPU
         * than the pushes); all are woken only when a connection opens, from one push in flight to limit.
         */
        synchronized void leave(int connection, boolean answered, long entered) {
            if (limit == 0) {
                return;
            }
            inFlight[connection]--;
            boolean probe = probing == connection;
            if (probe) {
                probing = NONE;
            }
            boolean opened = false;
            if (answered) {
                opened = !warm[connection];
                warm[connection] = true;
                lastAnswer[connection] = clock.getAsLong();
                if (probe) {
                    nextProbe = 0;
                }
            } else {
                if (warm[connection] && lastAnswer[connection] - entered < 0) {
                    warm[connection] = false;
                }
                if (probe) {
                    nextProbe = (connection + 1) % inFlight.length;
                }
            }
            if (opened) {
                notifyAll();
            } else {
                notify();
            }
        }
    }
}
