package dev.herald.fanout.entity;

import dev.herald.platform.control.JsonBody;
import dev.herald.engagement.entity.EngagementCounts;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of one notification as GET /api/notifications/{id} and the list report it. Counts are
 * of subscriptions, never of tries: pending is derived, so total = sent + removed + failed + pending
 * always holds; waiting (part of pending) is how many of a local-time job wait for their hour.
 * deliveredBy counts the subscriptions each instance settled (instance name -> count). Times are
 * Herald's clock (Redis TIME); sendAt, started, finished, localTime, expectedEnd are null when
 * they do not apply, throttlePerMinute is 0 without a limit. engagement is what visitors did with
 * the pushes (Engagement).
 */
public record JobReport(String id, String state, String title, String target, long total, long sent, long removed, long failed,
                        long waiting, Map<String, Long> failures, Map<String, Long> removals, Instant created, Instant sendAt, Instant started,
                        Instant finished, LocalTime localTime, int throttlePerMinute, Instant expectedEnd,
                        Map<String, Long> deliveredBy, EngagementCounts engagement) {

    public static final String SCHEDULED = "scheduled";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String CANCELLED = "cancelled";
    public static final java.util.List<String> STATES = java.util.List.of(SCHEDULED, RUNNING, DONE, CANCELLED);
    static final String BY = "by:";

    public long pending() {
        return total - sent - removed - failed;
    }

    public boolean done() {
        return DONE.equals(state);
    }

    /** Done or cancelled: nothing more is sent. */
    public boolean ended() {
        return DONE.equals(state) || CANCELLED.equals(state);
    }

    /** Reads the job hash and its failures hash as the fan-out's scripts write them (times in epoch milliseconds). */
    public static JobReport fromStored(String id, Map<String, String> job, Map<String, String> failures, Map<String, String> removals,
                                       EngagementCounts engagement) {
        var counts = new TreeMap<String, Long>();
        failures.forEach((reason, count) -> counts.put(reason, Long.parseLong(count)));
        var removedBy = new TreeMap<String, Long>();
        removals.forEach((reason, count) -> removedBy.put(reason, Long.parseLong(count)));
        var by = new TreeMap<String, Long>();
        job.forEach((field, value) -> {
            if (field.startsWith(BY)) {
                by.put(field.substring(BY.length()), Long.parseLong(value));
            }
        });
        int throttle = (int) number(job, "throttle");
        Instant started = instant(job, "started");
        Instant expectedEnd = null;
        if (throttle > 0 && started != null) {
            // the first ceil(rate/60) go at once, then one every 60000/rate ms (retries not counted)
            long after = Math.max(0, number(job, "expected") - (throttle + 59) / 60);
            expectedEnd = started.plusMillis(after * 60_000 / throttle);
        }
        String localTime = job.get("local_time");
        return new JobReport(id, job.getOrDefault("state", RUNNING), job.getOrDefault("title", ""),
                job.getOrDefault("target", ""), number(job, "total"), number(job, "sent"), number(job, "removed"),
                number(job, "failed"), number(job, "waiting"), counts, removedBy, instant(job, "created"), instant(job, "send_at"), started,
                instant(job, "finished"), localTime == null ? null : LocalTime.parse(localTime), throttle, expectedEnd, by, engagement);
    }

    static long number(Map<String, String> job, String name) {
        String value = job.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }

    static Instant instant(Map<String, String> job, String name) {
        String value = job.get(name);
        return value == null || value.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(value));
    }

    public JsonObject toJson() {
        var reasons = JsonBody.object();
        failures.forEach(reasons::add);
        var removedBy = JsonBody.object();
        removals.forEach(removedBy::add);
        var instances = JsonBody.object();
        deliveredBy.forEach(instances::add);
        var json = JsonBody.object()
                .add("id", id).add("state", state).add("title", title).add("target", targetJson())
                .add("total", total).add("sent", sent).add("removed", removed)
                .add("failed", failed).add("pending", pending()).add("failures", reasons).add("removals", removedBy);
        time(json, "created", created);
        time(json, "send_at", sendAt);
        time(json, "started", started);
        time(json, "finished", finished);
        if (localTime != null) {
            json.add("local_time", localTime.toString()).add("waiting", waiting);
        }
        if (throttlePerMinute > 0) {
            json.add("throttle_per_minute", throttlePerMinute);
            time(json, "expected_end", expectedEnd);
        }
        return json.add("delivered_by", instances).add("engagement", engagement.toJson()).build();
    }

    /** The target as asked (Audience.target()): null for everybody. */
    JsonValue targetJson() {
        if (target == null || target.isEmpty()) {
            return JsonValue.NULL;
        }
        try (var reader = JsonBody.PROVIDER.createReader(new java.io.StringReader(target))) {
            return reader.readObject();
        }
    }

    static void time(JsonObjectBuilder json, String name, Instant value) {
        if (value != null) {
            json.add(name, value.toString());
        }
    }
}
