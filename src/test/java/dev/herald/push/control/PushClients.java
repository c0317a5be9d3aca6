package dev.herald.push.control;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.subscriptions.control.EndpointPolicy;
import dev.herald.vapid.control.VapidHeaders;
import java.time.Duration;

/** A PushClient outside a container, for tests of other packages. */
public final class PushClients {

    private PushClients() {
    }

    public static PushClient of(PayloadEncryption encryption, VapidHeaders vapid, EndpointPolicy policy) {
        return new PushClient(encryption, vapid, policy, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    public static SenderThreads senders(java.util.concurrent.ThreadFactory threads, int size) {
        return new SenderThreads(threads, size);
    }
}
