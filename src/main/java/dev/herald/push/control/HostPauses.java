package dev.herald.push.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Push-service hosts that asked us to back off (429/503 with Retry-After): no push goes to a
 * paused host until its time is up, whichever subscription or job it belongs to. One entry per
 * host, and there are only a handful of push services, so the map stays tiny.
 */
@ApplicationScoped
public class HostPauses {

    final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();

    public void pause(String host, Duration wait, long nowNanos) {
        long end = nowNanos + wait.toNanos();
        until.merge(host, end, (old, proposed) -> proposed - old > 0 ? proposed : old);
    }

    /** How long the host is still paused; zero when it is not. */
    public Duration remaining(String host, long nowNanos) {
        Long end = until.get(host);
        if (end == null) {
            return Duration.ZERO;
        }
        long left = end - nowNanos;
        if (left <= 0) {
            until.remove(host, end);
            return Duration.ZERO;
        }
        return Duration.ofNanos(left);
    }
}
