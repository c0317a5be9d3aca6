package dev.herald.fanout.control;

import dev.herald.fanout.entity.Lane;
import dev.herald.fanout.entity.Unit;
import dev.herald.fanout.entity.Unit.Item;
import dev.herald.push.control.Dispatcher;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.Push;
import dev.herald.push.entity.Settled;
import dev.herald.subscriptions.entity.Subscription;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One batch held by this instance, from its records to its settle: each subscription's push is
 * dispatched, its outcome lands in the tally, and once every push has ended (or a stop's grace
 * period is over) the tally is written with the ack. Retries are not waited for here: they
 * leave as delayed work, so a batch holds its slot no longer than its slowest first answer.
 */
final class BatchRun {

    static final Logger LOG = Logger.getLogger(BatchRun.class.getName());

    final Unit unit;
    final Tally tally = new Tally();
    final Set<Item> inFlight = new HashSet<>();
    /** Stop dispatching: the instance is stopping; what is not done by stopDeadline is handed back. */
    volatile boolean stopping;
    volatile long stopDeadline;
    /** Another consumer took this batch over: stop, and write nothing. */
    volatile boolean lost;
    boolean closed;

    BatchRun(Unit unit) {
        this.unit = unit;
    }

    /**
     * Dispatches every item (records: each item's stored JSON, null when gone), or hands it back when
     * stopping, and returns once none is in flight, or a stop's deadline passed.
     */
    void deliver(Message message, List<String> records, Dispatcher dispatcher) throws InterruptedException {
        var items = unit.items();
        long now = System.currentTimeMillis();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (lost) {
                return;
            }
            if (stopping) {
                tally.now(item);
                continue;
            }
            String json = records.get(i);
            if (json == null) {
                // listed ids were counted when the job was accepted; a broadcast's id that is gone was never reached
                if (unit.lane() == Lane.PRIORITY) {
                    tally.failed("unknown subscription");
                } else {
                    tally.missing();
                }
                continue;
            }
            Subscription subscription;
            try {
                subscription = Subscription.fromStored(json);
            } catch (RuntimeException e) {
                LOG.warning(() -> "notification " + unit.jobId() + ": subscription " + item.id() + " is unreadable: " + e);
                tally.failed("unreadable subscription");
                continue;
            }
            if (subscription.expiredAt(now)) {
                tally.removed(item.id());
                continue;
            }
            synchronized (this) {
                inFlight.add(item);
            }
            dispatcher.dispatch(new Push(unit.jobId(), item.id(), subscription, message, item.retries(), unit.lane() == Lane.PRIORITY),
                    settled -> settled(item, settled));
        }
        awaitInFlight();
    }

    synchronized void settled(Item item, Settled settled) {
        if (closed || !inFlight.remove(item)) {
            return;
        }
        switch (settled.kind()) {
            case SENT -> tally.sent();
            case REMOVE -> tally.removed(item.id());
            case FAIL -> tally.failed(settled.reason());
            case LATER -> tally.later(new Item(item.id(), settled.retries()), settled.retryIn());
        }
        if (inFlight.isEmpty()) {
            notifyAll();
        }
    }

    /** Waits for the pushes in flight; at the deadline (a stop's grace period), what is still out is handed back. */
    synchronized void awaitInFlight() throws InterruptedException {
        while (!inFlight.isEmpty() && !lost) {
            long left = stopping ? stopDeadline - System.nanoTime() : TimeUnit.SECONDS.toNanos(1);
            if (left <= 0) {
                // the answer never came within the grace period: another instance sends it again (a possible duplicate)
                inFlight.forEach(tally::now);
                inFlight.clear();
                break;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        closed = true;
    }

    synchronized void stop(long deadlineNanos) {
        stopDeadline = deadlineNanos;
        stopping = true;
        notifyAll();
    }

    synchronized void lose() {
        lost = true;
        notifyAll();
    }
}
