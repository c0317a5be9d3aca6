package dev.herald.fanout.entity;

/**
 * How one of the deployment warm-up's batches ended (Worker.rehearse): its pushes sent, those that ended otherwise
 * (failed, removed, to be retried), and the first such reason, null when there was none.
 */
public record Rehearsal(long sent, long notSent, String firstReason) {
}
