package dev.herald.diagnostics.control;

import dev.herald.diagnostics.entity.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The doctor's checks of what the VAPID setup depends on: the clock, Redis, the allowed hosts, the API token. */
final class PlatformChecks {

    static final Duration MAX_SKEW = Duration.ofSeconds(60);
    /** Beyond it a JWT's exp (12 h ahead) lies in the push service's past. */
    static final Duration BROKEN_SKEW = Duration.ofHours(12);

    private PlatformChecks() {
    }

    /** This machine's clock (VAPID exp) against Herald's clock (Redis TIME, what every instance schedules by). */
    static Check clock(Instant machine, Instant redis) {
        String name = "clock";
        Duration skew = Duration.between(redis, machine).abs();
        String detail = "This machine's clock is " + skew.toMillis() + " ms " + (machine.isBefore(redis) ? "behind" : "ahead of")
                + " Redis TIME";
        String fix = "Synchronise the clocks of the Herald and Redis machines (NTP).";
        if (skew.compareTo(BROKEN_SKEW) > 0) {
            return Check.fail(name, detail + ": push services refuse VAPID tokens whose exp is already past or too far ahead.", fix);
        }
        if (skew.compareTo(MAX_SKEW) > 0) {
            return Check.warn(name, detail + " (more than " + MAX_SKEW.toSeconds() + " s): VAPID exp and schedules disagree.", fix);
        }
        return Check.ok(name, detail + ".");
    }

    /** RedisRequirements' findings: persistence and maxmemory-policy. */
    static Check redis(List<String> warnings) {
        if (warnings.isEmpty()) {
            return Check.ok("redis", "Redis keeps an append-only file, fsyncs it every second or always, and evicts nothing.");
        }
        return Check.warn("redis", String.join(" ", warnings), "Set what is named above in redis.conf (README \"Durability\").");
    }

    static Check allowedHosts(List<String> hosts, boolean insecure) {
        String name = "push.allowed-hosts";
        if (hosts.isEmpty()) {
            return Check.fail(name, "herald.push.allowed-hosts is empty: no subscription can be made.",
                    "Set herald.push.allowed-hosts to the push services' hosts (the default lists them).");
        }
        if (insecure) {
            return Check.warn(name, "herald.push.allow-insecure is true: listed IP literals may use http and private addresses (tests only).",
                    "Unset herald.push.allow-insecure in production.");
        }
        return Check.ok(name, "Pushes go only to " + String.join(", ", hosts) + ".");
    }

    /** herald.public-url: without it links stay relative, so Safari cannot show a push without its worker, and clicks count only there. */
    static Check publicUrl(java.net.URI publicUrl) {
        String name = "public-url";
        if (publicUrl == null) {
            return Check.warn(name, "herald.public-url is not set: the links of every push stay relative, so Safari treats each "
                    + "as a classic push for its service worker instead of showing it declaratively, and clicks are counted by "
                    + "the service worker only (no /api/r/ links).", "Set herald.public-url to where Herald's page is served, "
                    + "e.g. https://push.example.com/ (README \"Payload format\").");
        }
        return Check.ok(name, "Links are made absolute against " + publicUrl + ", where clicks are counted too.");
    }

    static Check token(boolean generated) {
        if (generated) {
            return Check.warn("api.token", "The API token was generated at first start and is kept in Redis: whoever reads Redis can "
                    + "send, and it cannot be rotated.", "Set herald.api.tokens (HERALD_API_TOKENS) to tokens of your own, "
                    + "e.g. send:<token>,admin:<token>.");
        }
        return Check.ok("api.token", "The API tokens are configured (herald.api.tokens).");
    }
}
