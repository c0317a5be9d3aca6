package dev.herald.subscriptions.entity;

/** Why a subscription was deleted, as its subscription.removed webhook event says. */
public enum Removal {
    /** Its push service answered 404 or 410 (RFC 8030 section 7.3): it is gone for good. */
    GONE,
    /** Its expirationTime passed. */
    EXPIRED,
    /** Too many failures in a row that may be its fault, and no success for a long time. */
    STALE,
    /** Its user was erased (DELETE /api/users/{user}). */
    ERASED,
    /** DELETE /api/subscriptions/{id} or POST /api/unsubscribe. */
    UNSUBSCRIBED,
    /** The browser renewed it: a subscribe with "replaces" took its place. */
    REPLACED,
    /** Its VAPID key was removed with force (DELETE /api/vapid/keys/{fingerprint}?force=true). */
    KEY_REMOVED;

    /** The words the scripts and the event carry ("key removed"). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
