package dev.herald.delivery.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.entity.JobReport;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobCountersTest {

    /** Applies deltas the way Jobs does in Redis (HINCRBY), for checking the arithmetic. */
    static final class Stored {
        final Map<String, String> job = new HashMap<>(Map.of("state", "running"));
        final Map<String, String> failures = new HashMap<>();

        void apply(JobCounters.Delta delta) {
            add(job, "total", delta.total());
            add(job, "sent", delta.sent());
            add(job, "removed", delta.removed());
            add(job, "failed", delta.failed());
            delta.failures().forEach((reason, n) -> add(failures, reason, n));
        }

        static void add(Map<String, String> hash, String field, long n) {
            hash.merge(field, String.valueOf(n), (a, b) -> String.valueOf(Long.parseLong(a) + Long.parseLong(b)));
        }

        JobReport report() {
            return JobReport.fromStored("id", job, failures);
        }
    }

    @Test
    void drainReturnsDeltasSinceLastDrainAndResets() {
        var counters = new JobCounters();
        counters.found(5);
        counters.sent();
        counters.sent();
        counters.removed();
        counters.failed("HTTP 400");
        assertThat(counters.unflushed()).isEqualTo(4);

        var first = counters.drain();
        assertThat(first).isEqualTo(new JobCounters.Delta(5, 2, 1, 1, Map.of("HTTP 400", 1L)));
        assertThat(counters.unflushed()).isZero();
        assertThat(counters.drain().empty()).isTrue();

        counters.failed("HTTP 400");
        counters.failed("HTTP 500");
        assertThat(counters.drain()).isEqualTo(new JobCounters.Delta(0, 0, 0, 2, Map.of("HTTP 400", 1L, "HTTP 500", 1L)));
    }

    @Test
    void reportTotalsAddUpAndPendingIsWhatIsLeft() {
        var stored = new Stored();
        var counters = new JobCounters();
        counters.found(10);
        counters.sent();
        counters.failed("HTTP 413");
        stored.apply(counters.drain());
        var running = stored.report();
        assertThat(running.pending()).isEqualTo(8);
        assertThat(running.done()).isFalse();

        for (int i = 0; i < 6; i++) {
            counters.sent();
        }
        counters.removed();
        counters.failed("unknown subscription");
        stored.apply(counters.drain());
        var report = stored.report();
        assertThat(report.total()).isEqualTo(10);
        assertThat(report.sent() + report.removed() + report.failed() + report.pending()).isEqualTo(report.total());
        assertThat(report.pending()).isZero();
        assertThat(report.failures()).containsExactlyInAnyOrderEntriesOf(Map.of("HTTP 413", 1L, "unknown subscription", 1L));
        assertThat(report.toJson().getJsonNumber("pending").longValue()).isZero();
        assertThat(report.toJson().getJsonObject("failures").getInt("HTTP 413")).isEqualTo(1);
    }

    @Test
    void concurrentCountingAndDrainingLosesNothingAndNeverShowsNegativePending() throws Exception {
        var counters = new JobCounters();
        var stored = new Stored();
        var pool = Executors.newFixedThreadPool(4);
        int perThread = 50_000;
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.execute(() -> {
                for (int i = 0; i < perThread; i++) {
                    counters.found(1);
                    switch (i % 3) {
                        case 0 -> counters.sent();
                        case 1 -> counters.removed();
                        default -> counters.failed("r" + (thread % 2));
                    }
                }
            });
        }
        pool.shutdown();
        while (!pool.awaitTermination(1, TimeUnit.MILLISECONDS)) {
            stored.apply(counters.drain());
            assertThat(stored.report().pending()).isNotNegative();
        }
        stored.apply(counters.drain());
        var report = stored.report();
        assertThat(report.total()).isEqualTo(4L * perThread);
        assertThat(report.pending()).isZero();
        assertThat(report.failures().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(report.failed());
    }
}
