package dev.herald.fanout.control;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * This instance's name in the consumer group: herald.instance.name, or made up at start from the
 * host name, the process id and a random part. A configured name lets a restarted instance take
 * back at once what it held; a made-up one leaves that to the idle timer (herald.delivery.claim-idle).
 */
final class InstanceName {

    static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private InstanceName() {
    }

    static String of(Optional<String> configured) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            String name = configured.get().strip();
            if (!VALID.matcher(name).matches()) {
                throw new IllegalStateException("herald.instance.name must be 1 to 64 of A-Z a-z 0-9 . _ -, not '" + name + "'.");
            }
            return name;
        }
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("herald");
        String made = host + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        String clean = made.replaceAll("[^A-Za-z0-9._-]", "-");
        return clean.length() > 64 ? clean.substring(clean.length() - 64) : clean;
    }
}
