package dev.herald.fanout.entity;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of one notification's fan-out as GET /api/notifications/{id} reports it. Counts are
 * of subscriptions, never of tries: pending is derived, so total = sent + removed + failed + pending
 * always holds. deliveredBy counts the subscriptions each instance settled (instance name -> count).
 */
public record JobReport(String id, String state, long total, long sent, long removed, long failed,
                        Map<String, Long> failures, Instant created, Instant finished, Map<String, Long> deliveredBy) {

    public static final String RUNNING = "running";
    public static final String DONE = "done";
    static final String BY = "by:";

    public long pending() {
        return total - sent - removed - failed;
    }

    public boolean done() {
        return DONE.equals(state);
    }

    /** Reads the job hash and its failures hash as the fan-out's scripts write them (times in epoch milliseconds). */
    public static JobReport fromStored(String id, Map<String, String> job, Map<String, String> failures) {
        var counts = new TreeMap<String, Long>();
        failures.forEach((reason, count) -> counts.put(reason, Long.parseLong(count)));
        var by = new TreeMap<String, Long>();
        job.forEach((field, value) -> {
            if (field.startsWith(BY)) {
                by.put(field.substring(BY.length()), Long.parseLong(value));
            }
        });
        return new JobReport(id, job.getOrDefault("state", RUNNING), number(job, "total"), number(job, "sent"),
                number(job, "removed"), number(job, "failed"), counts, instant(job, "created"), instant(job, "finished"), by);
    }

    static long number(Map<String, String> job, String name) {
        String value = job.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }

    static Instant instant(Map<String, String> job, String name) {
        String value = job.get(name);
        return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value));
    }

    public JsonObject toJson() {
        var reasons = Json.createObjectBuilder();
        failures.forEach(reasons::add);
        var instances = Json.createObjectBuilder();
        deliveredBy.forEach(instances::add);
        var json = Json.createObjectBuilder()
                .add("id", id).add("state", state).add("total", total).add("sent", sent).add("removed", removed)
                .add("failed", failed).add("pending", pending()).add("failures", reasons);
        if (created != null) {
            json.add("created", created.toString());
        }
        if (finished != null) {
            json.add("finished", finished.toString());
        }
        return json.add("delivered_by", instances).build();
    }
}
