package dev.herald.delivery.entity;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of one notification's fan-out as GET /api/notifications/{id} reports it.
 * pending is derived, so total = sent + removed + failed + pending always holds.
 */
public record JobReport(String id, String state, long total, long sent, long removed, long failed,
                        Map<String, Long> failures) {

    public static final String RUNNING = "running";
    public static final String DONE = "done";

    public long pending() {
        return total - sent - removed - failed;
    }

    public boolean done() {
        return DONE.equals(state);
    }

    /** Reads the job hash and its failures hash as stored by Jobs. */
    public static JobReport fromStored(String id, Map<String, String> job, Map<String, String> failures) {
        var counts = new TreeMap<String, Long>();
        failures.forEach((reason, count) -> counts.put(reason, Long.parseLong(count)));
        return new JobReport(id, job.getOrDefault("state", RUNNING), number(job, "total"), number(job, "sent"),
                number(job, "removed"), number(job, "failed"), counts);
    }

    static long number(Map<String, String> job, String name) {
        String value = job.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }

    public JsonObject toJson() {
        var reasons = Json.createObjectBuilder();
        failures.forEach(reasons::add);
        return Json.createObjectBuilder()
                .add("id", id).add("state", state).add("total", total).add("sent", sent).add("removed", removed)
                .add("failed", failed).add("pending", pending()).add("failures", reasons).build();
    }
}
