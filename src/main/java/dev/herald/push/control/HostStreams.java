package dev.herald.push.control;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * At most limit pushes in flight per https host (herald.push.max-streams-per-host). The JDK's
 * HttpClient keeps one HTTP/2 connection per host and fails a request beyond the peer's
 * SETTINGS_MAX_CONCURRENT_STREAMS ("too many concurrent streams", JDK-8225647) instead of queueing
 * it; and while it has no connection to a host yet, each request opens one of its own (a TLS
 * handshake each, all but one closed again). So the first push to a host, or the first after one
 * got no answer (the connection may be gone) or after a pause, goes alone; the others follow once
 * it is answered, when the connection and the peer's SETTINGS exist. http hosts (HTTP/1.1, one
 * connection per request in flight) and limit 0 are not capped.
 */
final class HostStreams {

    /** After this long with nothing in flight the peer may have closed the idle connection: go alone again. */
    static final Duration IDLE = Duration.ofSeconds(30);

    final int limit;
    final Map<String, Gate> gates = new ConcurrentHashMap<>();

    HostStreams(int limit) {
        this.limit = limit;
    }

    /** The gate of the endpoint's host, or an open one when the host is not capped. */
    Gate gate(URI endpoint) {
        if (limit <= 0 || !"https".equalsIgnoreCase(endpoint.getScheme())) {
            return Gate.OPEN;
        }
        String key = endpoint.getHost().toLowerCase(Locale.ROOT) + ":" + endpoint.getPort();
        return gates.computeIfAbsent(key, k -> new Gate(limit));
    }

    static final class Gate {

        static final Gate OPEN = new Gate(0);

        final int limit;
        int inFlight;
        boolean warm;
        long lastAnswer;

        Gate(int limit) {
            this.limit = limit;
        }

        /** Waits at most wait for a slot; false when none came. */
        synchronized boolean enter(Duration wait) throws InterruptedException {
            if (limit == 0) {
                return true;
            }
            long now = System.nanoTime();
            if (warm && inFlight == 0 && now - lastAnswer > IDLE.toNanos()) {
                warm = false;
            }
            long end = now + wait.toNanos();
            while (inFlight >= (warm ? limit : 1)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    notify(); // a wake-up this thread may have taken goes on to the next waiter
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            inFlight++;
            return true;
        }

        /**
         * The push that entered is over; answered: the host sent an HTTP answer (any status). One slot is free, so one
         * waiter is woken (with up to max-in-flight threads waiting at one host, waking all of them on every answer cost
         * more CPU than the pushes); all are woken only when the host opens up, from one push in flight to limit.
         */
        synchronized void leave(boolean answered) {
            if (limit == 0) {
                return;
            }
            inFlight--;
            boolean opened = answered && !warm;
            warm = answered;
            if (answered) {
                lastAnswer = System.nanoTime();
            }
            if (opened) {
                notifyAll();
            } else {
                notify();
            }
        }
    }
}
