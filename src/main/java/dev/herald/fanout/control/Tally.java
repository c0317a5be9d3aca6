package dev.herald.fanout.control;

import dev.herald.fanout.entity.Rehearsal;
import dev.herald.fanout.entity.Unit.Item;
import dev.herald.subscriptions.entity.Removal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of a batch gathered, to be written in one settle script together with the ack:
 * counts per outcome, failure reasons, subscriptions to remove, and the items still to do, now
 * (handed back), later (retries, grouped by due time) or at their local time (waits). Only the run's own thread and the
 * sender threads it waits for touch it, under its lock.
 */
final class Tally {

    /** Retries due within this much of each other share one delayed entry. */
    static final long DUE_GRANULARITY_MILLIS = 250;

    long sent;
    long removed;
    long failed;
    /** Ids of a broadcast batch that had no record any more (unsubscribed since): never reached, so not in total. */
    long missing;
    final Map<String, Long> failures = new TreeMap<>();
    /** Subscriptions to delete -> why, as their webhook event says (Removal: gone, expired). */
    final Map<String, Removal> removals = new java.util.LinkedHashMap<>();
    /** Why subscriptions were removed: "HTTP 410", "expired", ... -> count. */
    final Map<String, Long> removalReasons = new TreeMap<>();
    /** Subscriptions whose push was accepted (2xx): their health is reset. */
    final List<String> successes = new ArrayList<>();
    /** Subscriptions whose push failed in a way that may be their fault -> that reason: their streak grows. */
    final Map<String, String> strikes = new java.util.LinkedHashMap<>();
    final List<Item> now = new ArrayList<>();
    /** Due in (ms, rounded up to DUE_GRANULARITY_MILLIS) -> items. */
    final Map<Long, List<Item>> later = new TreeMap<>();
    /** Waiting for their local time: due at (Herald's clock, epoch ms) -> items. */
    final Map<Long, List<Item>> waits = new TreeMap<>();

    synchronized void sent() {
        sent++;
    }

    synchronized void removed(String id) {
        removed(id, "gone");
    }

    /** reason is the report's ("HTTP 410", "expired", ...): "expired" is Removal.EXPIRED, every other is the push service's GONE. */
    synchronized void removed(String id, String reason) {
        removed++;
        removals.put(id, "expired".equals(reason) ? Removal.EXPIRED : Removal.GONE);
        removalReasons.merge(reason, 1L, Long::sum);
    }

    synchronized void succeeded(String id) {
        sent++;
        successes.add(id);
    }

    /** Failed for good with a bare reason ("HTTP 400"): its streak grows when that may be its fault (Outcome.subscriptionsFault). */
    synchronized void failed(String id, String reason) {
        failed(id, reason, dev.herald.push.control.Outcome.subscriptionsFault(reason));
    }

    /** Failed for good with reason; with strike (it may be the subscription's fault) its streak grows. */
    synchronized void failed(String id, String reason, boolean strike) {
        failed(reason);
        if (strike) {
            strikes.put(id, reason);
        }
    }

    synchronized void failed(String reason) {
        failed++;
        failures.merge(reason, 1L, Long::sum);
    }

    synchronized void missing() {
        missing++;
    }

    synchronized void now(Item item) {
        now.add(item);
    }

    synchronized void later(Item item, Duration in) {
        long millis = Math.max(1, in.toMillis());
        long bucket = (millis + DUE_GRANULARITY_MILLIS - 1) / DUE_GRANULARITY_MILLIS * DUE_GRANULARITY_MILLIS;
        later.computeIfAbsent(bucket, b -> new ArrayList<>()).add(item);
    }

    /** The item waits until its subscriber's local time: no try yet, so it keeps its retries. */
    synchronized void waitUntil(Item item, long epochMillis) {
        waits.computeIfAbsent(epochMillis, at -> new ArrayList<>()).add(item);
    }

    synchronized long waitCount() {
        return waits.values().stream().mapToLong(List::size).sum();
    }

    /** Subscriptions this run settled for good (what the report counts for this instance). */
    synchronized long settled() {
        return sent + removed + failed;
    }

    synchronized long laterCount() {
        return later.values().stream().mapToLong(List::size).sum();
    }

    /** A warm-up batch's end (Worker.rehearse): what was sent, what was not, and the first reason why not. */
    synchronized Rehearsal rehearsal() {
        long notSent = removed + failed + missing + laterCount() + now.size() + waitCount();
        String reason = !failures.isEmpty() ? failures.keySet().iterator().next()
                : !removalReasons.isEmpty() ? removalReasons.keySet().iterator().next() : notSent > 0 ? "to be retried or not due" : null;
        return new Rehearsal(sent, notSent, reason);
    }
}
