package dev.herald.fanout.control;

import dev.herald.engagement.control.EventTokens;
import dev.herald.fanout.entity.JobSpec;
import dev.herald.fanout.entity.Lane;
import dev.herald.fanout.entity.Unit;
import dev.herald.fanout.entity.Unit.Item;
import dev.herald.push.control.Dispatcher;
import dev.herald.push.entity.Message;
import dev.herald.push.entity.Push;
import dev.herald.push.entity.Settled;
import dev.herald.subscriptions.entity.Subscription;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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

    /** What a run needs besides its batch: Herald's clock when it began, the throttle, the default zone, cancels, and engagement tokens. */
    record Context(long clockMillis, long clockNanos, Throttle throttle, ZoneId defaultZone, BooleanSupplier cancelled, EventTokens tokens) {
    }

    /**
     * Dispatches every item that is due (records: each item's stored fields, SubscriptionStore.load, null when gone), or hands it
     * back when stopping; an item of a local-time job whose hour has not come waits for it, and a
     * throttled job's pushes wait for their slots (without holding an in-flight permit). Returns once
     * none is in flight, or a stop's deadline passed. After a cancel nothing more is dispatched.
     */
    void deliver(JobSpec spec, List<List<String>> records, Dispatcher dispatcher, Context context) throws InterruptedException {
        var items = unit.items();
        long now = System.currentTimeMillis();
        var due = new ArrayList<Integer>();
        var subscriptions = new ArrayList<Subscription>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (lost) {
                return;
            }
            if (stopping) {
                tally.now(item);
                continue;
            }
            List<String> fields = records.get(i);
            if (fields == null) {
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
                subscription = Subscription.fromFields(fields.get(0), fields.get(1), fields.get(2), fields.get(3), fields.get(4));
            } catch (RuntimeException e) {
                LOG.warning(() -> "notification " + unit.jobId() + ": subscription " + item.id() + " is unreadable: " + e);
                tally.failed("unreadable subscription");
                continue;
            }
            if (subscription.expiredAt(now)) {
                tally.removed(item.id(), "expired");
                continue;
            }
            if (spec.localTime() != null) {
                long at = LocalTimes.due(spec.created(), subscription.zone().orElse(context.defaultZone()), spec.localTime());
                if (at > context.clockMillis()) {
                    tally.waitUntil(item, at);
                    continue;
                }
            }
            due.add(i);
            subscriptions.add(subscription);
        }
        // the job's message, cut where each push gets its own engagement token (one part: a message without any)
        byte[][] parts = EventTokens.split(spec.message().payload());
        Throttle.Reservation slots = null;
        if (spec.throttled() && !due.isEmpty()) {
            slots = unit.reserved() ? Throttle.Reservation.of(unit, spec.throttlePerMinute())
                    : context.throttle().reserve(unit.jobId(), spec.throttlePerMinute(), due.size());
        }
        for (int k = 0; k < due.size(); k++) {
            Item item = items.get(due.get(k));
            if (lost) {
                return;
            }
            if (context.cancelled().getAsBoolean()) {
                // cancelled: the rest is never sent, and not counted
                break;
            }
            if (slots != null) {
                int slot = unit.reserved() ? due.get(k) : k;
                if (!unit.reserved() && slot >= slots.granted()) {
                    // no slot within the horizon: it waits in the delayed set for the next free one, holding nothing
                    tally.later(item, java.time.Duration.ofMillis(Math.max(1, slots.nextFree() - slots.cut())));
                    continue;
                }
                long waitMillis = slots.slot(slot) - context.clockMillis();
                if (waitMillis > 0 && !awaitSlot(context.clockNanos() + TimeUnit.MILLISECONDS.toNanos(waitMillis), context)) {
                    if (lost) {
                        return;
                    }
                    if (stopping) {
                        tally.now(item);
                        continue;
                    }
                    break;
                }
            }
            if (stopping) {
                tally.now(item);
                continue;
            }
            synchronized (this) {
                inFlight.add(item);
            }
            var message = parts.length == 1 ? spec.message()
                    : new Message(EventTokens.fill(parts, context.tokens().token(unit.jobId(), item.id())), spec.message().options());
            dispatcher.dispatch(new Push(unit.jobId(), item.id(), subscriptions.get(k), message, item.retries(),
                    unit.lane() == Lane.PRIORITY), settled -> settled(item, settled));
        }
        awaitInFlight();
    }

    /** Waits until the slot's time; false when the run was stopped, lost or cancelled meanwhile. */
    synchronized boolean awaitSlot(long atNanos, Context context) throws InterruptedException {
        while (true) {
            if (lost || stopping || context.cancelled().getAsBoolean()) {
                return false;
            }
            long left = atNanos - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    synchronized void settled(Item item, Settled settled) {
        if (closed || !inFlight.remove(item)) {
            return;
        }
        switch (settled.kind()) {
            case SENT -> tally.succeeded(item.id());
            case REMOVE -> tally.removed(item.id(), settled.reason());
            case FAIL -> tally.failed(item.id(), settled.reason(), settled.strike());
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
