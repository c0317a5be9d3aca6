package dev.herald.warmup.entity;

import java.time.Duration;

/**
 * Where the deployment's warm-up is: running (readiness is DOWN meanwhile), done, off (herald.warm-up.pushes=0) or failed
 * (it logged why; the instance serves anyway, only its first broadcast is slower). pushes: those the warm-up sent to its
 * own loopback sink so far; took: from its start to its end (so far, while running).
 */
public record WarmUpState(Phase phase, long pushes, Duration took, String detail) {

    public enum Phase {
        RUNNING, DONE, OFF, FAILED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Readiness: only a running warm-up holds it back. */
    public boolean ready() {
        return phase != Phase.RUNNING;
    }
}
