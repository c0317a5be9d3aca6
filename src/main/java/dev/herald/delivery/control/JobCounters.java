package dev.herald.delivery.control;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running job's counts not yet written to Redis. Pushes record here without touching
 * Redis; Jobs drains the deltas into one pipelined HINCRBY batch now and then, so Redis
 * sees a few writes per batch of pushes instead of one per push.
 */
public class JobCounters {

    public record Delta(long total, long sent, long removed, long failed, Map<String, Long> failures) {

        public boolean empty() {
            return total == 0 && sent == 0 && removed == 0 && failed == 0 && failures.isEmpty();
        }
    }

    final AtomicLong total = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong removed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final ConcurrentHashMap<String, AtomicLong> failures = new ConcurrentHashMap<>();
    final AtomicLong unflushed = new AtomicLong();

    public void found(long count) {
        total.addAndGet(count);
    }

    public void sent() {
        sent.incrementAndGet();
        unflushed.incrementAndGet();
    }

    public void removed() {
        removed.incrementAndGet();
        unflushed.incrementAndGet();
    }

    public void failed(String reason) {
        // the reason first: a drain that sees the failed count then also sees its reason
        failures.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        failed.incrementAndGet();
        unflushed.incrementAndGet();
    }

    public long unflushed() {
        return unflushed.get();
    }

    /**
     * Takes what was counted since the last drain. total is taken last: every outcome was
     * preceded by its total, so the totals drained so far always cover the outcomes drained so
     * far, and a report built from drained deltas never shows negative pending. (Taking total
     * first lets a found()+sent() pair land between the two reads: its outcome without its total.)
     */
    public Delta drain() {
        unflushed.set(0);
        long s = sent.getAndSet(0);
        long r = removed.getAndSet(0);
        long f = failed.getAndSet(0);
        long t = total.getAndSet(0);
        var reasons = new java.util.TreeMap<String, Long>();
        failures.forEach((reason, count) -> {
            long n = count.getAndSet(0);
            if (n != 0) {
                reasons.put(reason, n);
            }
        });
        return new Delta(t, s, r, f, reasons);
    }
}
