package dev.herald.notifications.control;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** The wait preference of an RFC 7240 Prefer header ("respond-async, wait=10"), capped. */
public final class PreferWait {

    static final Pattern WAIT = Pattern.compile("(?i)^\\s*wait\\s*=\\s*\"?(\\d{1,9})\"?\\s*$");

    private PreferWait() {
    }

    public static Optional<Duration> of(String header, Duration max) {
        if (header == null) {
            return Optional.empty();
        }
        for (String preference : header.split("[,;]")) {
            var matcher = WAIT.matcher(preference);
            if (matcher.matches()) {
                var wait = Duration.ofSeconds(Long.parseLong(matcher.group(1)));
                return Optional.of(wait.compareTo(max) > 0 ? max : wait);
            }
        }
        return Optional.empty();
    }
}
