package dev.herald.push.control;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * At most limit pushes in flight per HTTP/2 connection to an https host (herald.push.max-streams-per-host), over at
 * most connections connections per host (herald.push.connections-per-host, one HttpClient each: the JDK's keeps one
 * HTTP/2 connection per host). The JDK client fails a request beyond the peer's SETTINGS_MAX_CONCURRENT_STREAMS ("too
 * many concurrent streams", JDK-8225647) instead of queueing it; and while it has no connection to a host yet, each
 * request opens one of its own (a TLS handshake each, all but one closed again). So the first push on a connection, or
 * the first after one got no answer (the connection may be gone) or after a pause, goes alone; the others follow once it
 * is answered, when the connection and the peer's SETTINGS exist. Connections fill in order: the next one is opened only
 * when those before it are open and full, so a host with up to limit pushes in flight keeps to one connection. http hosts
 * (HTTP/1.1, one connection per request in flight) and limit 0 are not capped and use connection 0.
 */
final class HostStreams {

    /** After this long with nothing in flight the peer may have closed the idle connection: go alone again. */
    static final Duration IDLE = Duration.ofSeconds(30);

    final int limit;
    final int connections;
    final Map<String, Gate> gates = new ConcurrentHashMap<>();

    HostStreams(int limit, int connections) {
        this.limit = limit;
        this.connections = connections;
    }

    /** The gate of the endpoint's host, or an open one when the host is not capped. */
    Gate gate(URI endpoint) {
        if (limit <= 0 || !"https".equalsIgnoreCase(endpoint.getScheme())) {
            return Gate.OPEN;
        }
        String key = endpoint.getHost().toLowerCase(Locale.ROOT) + ":" + endpoint.getPort();
        return gates.computeIfAbsent(key, k -> new Gate(limit, connections));
    }

    /** One host's connections: how many pushes each has in flight, and whether it is known to be open (warm). */
    static final class Gate {

        /** enter's answer when no slot came in time. */
        static final int NONE = -1;
        static final Gate OPEN = new Gate(0, 1);

        final int limit;
        final int[] inFlight;
        final boolean[] warm;
        final long[] lastAnswer;

        Gate(int limit, int connections) {
            this.limit = limit;
            this.inFlight = new int[connections];
            this.warm = new boolean[connections];
            this.lastAnswer = new long[connections];
        }

        /** Waits at most wait for a slot; the connection it is on (0 to connections - 1), or NONE when none came. */
        synchronized int enter(Duration wait) throws InterruptedException {
            if (limit == 0) {
                return 0;
            }
            long end = System.nanoTime() + wait.toNanos();
            while (true) {
                int connection = free(System.nanoTime());
                if (connection != NONE) {
                    inFlight[connection]++;
                    return connection;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    notify(); // a wake-up this thread may have taken goes on to the next waiter
                    return NONE;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /**
         * The first warm connection below the limit; else the first cold one, if nothing is in flight on it (its one push
         * opens it); else none. Only one connection is opened at a time, and only once those before it are full.
         */
        int free(long now) {
            int cold = NONE;
            for (int connection = 0; connection < inFlight.length; connection++) {
                if (warm[connection] && inFlight[connection] == 0 && now - lastAnswer[connection] > IDLE.toNanos()) {
                    warm[connection] = false;
                }
                if (warm[connection] && inFlight[connection] < limit) {
                    return connection;
                }
                if (!warm[connection] && cold == NONE) {
                    cold = connection;
                }
            }
            return cold != NONE && inFlight[cold] == 0 ? cold : NONE;
        }

        /**
         * The push that entered on this connection is over; answered: the host sent an HTTP answer (any status). One slot
         * is free, so one waiter is woken (with up to max-in-flight threads waiting at one host, waking all of them on every
         * answer cost more CPU than the pushes); all are woken only when a connection opens up, from one push in flight to
         * limit.
         */
        synchronized void leave(int connection, boolean answered) {
            if (limit == 0) {
                return;
            }
            inFlight[connection]--;
            boolean opened = answered && !warm[connection];
            warm[connection] = answered;
            if (answered) {
                lastAnswer[connection] = System.nanoTime();
            }
            if (opened) {
                notifyAll();
            } else {
                notify();
            }
        }
    }
}
