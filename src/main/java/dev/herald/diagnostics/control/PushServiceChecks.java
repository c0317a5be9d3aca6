package dev.herald.diagnostics.control;

import dev.herald.diagnostics.entity.Check;
import dev.herald.push.control.PushServicesSeen.Seen;
import java.time.Instant;
import java.util.List;

/** Per push service, its last success and last configuration error (PushServicesSeen): an error after the last success warns. */
final class PushServiceChecks {

    private PushServiceChecks() {
    }

    static List<Check> of(List<Seen> seen) {
        if (seen.isEmpty()) {
            return List.of(Check.ok("push-services", "No push service has answered a push yet."));
        }
        return seen.stream().map(PushServiceChecks::of).toList();
    }

    static Check of(Seen seen) {
        String name = "push-service " + seen.host();
        String success = seen.lastSuccess() == null ? "never accepted a push" : "last accepted a push at " + Instant.ofEpochMilli(seen.lastSuccess());
        if (seen.lastConfigError() == null) {
            return Check.ok(name, seen.host() + " " + success + " and refused none for Herald's setup.");
        }
        String error = "last refused one for Herald's setup at " + Instant.ofEpochMilli(seen.lastConfigError()) + " (" + seen.configError() + ")";
        if (seen.lastSuccess() != null && seen.lastSuccess() > seen.lastConfigError()) {
            return Check.ok(name, seen.host() + " " + success + "; it " + error + ", before that.");
        }
        return Check.warn(name, seen.host() + " " + error + ", and " + (seen.lastSuccess() == null ? "never accepted one"
                : "accepted none since (" + success + ")") + ".",
                "Check herald.vapid.subject and the key pair (the other checks); subscriptions made with a removed key fail like this.");
    }
}
