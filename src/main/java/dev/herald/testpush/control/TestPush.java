package dev.herald.testpush.control;

import dev.herald.platform.control.JsonBody;
import dev.herald.notifications.control.DeclarativePayload;
import dev.herald.notifications.control.PayloadSettings;
import dev.herald.notifications.entity.Display;
import dev.herald.push.control.Outcome;
import dev.herald.push.control.PushClient;
import dev.herald.push.control.SenderThreads;
import dev.herald.push.entity.PushOptions;
import dev.herald.push.entity.PushResult;
import dev.herald.subscriptions.control.SubscriptionStore;
import dev.herald.subscriptions.entity.Removal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.NotFoundException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * "Send me a test notification": one fixed message to the caller's own subscription. The text is
 * fixed here and the id selects the only recipient, so the endpoint can never message anyone else.
 * What the answer means is the fan-out's rule table (Outcome); a test push is tried once.
 */
@ApplicationScoped
public class TestPush {

    static final Display MESSAGE = Display.of("Herald test notification",
            "Notifications from this site work. You can turn them off on the subscribe page at any time.", null, "herald-test");
    // only useful right now: kept 5 minutes at most by the push service
    static final PushOptions OPTIONS = new PushOptions(300, "high", null);

    @Inject
    SubscriptionStore store;

    @Inject
    TestPushThrottle throttle;

    @Inject
    PushClient client;

    @Inject
    SenderThreads senders;

    @Inject
    PayloadSettings payloads;

    public CompletionStage<JsonObject> send(String id) {
        var subscription = store.find(id).orElseThrow(() -> new NotFoundException("No subscription " + id + "."));
        throttle.acquire(id);
        var answer = new CompletableFuture<JsonObject>();
        // on a sender thread: the request thread is free while the push service takes its time
        senders.submit(() -> {
            try {
                PushResult result = client.send(subscription, DeclarativePayload.standalone(MESSAGE, payloads.format()), OPTIONS);
                var outcome = Outcome.classify(result, host(subscription.endpoint()), Duration.ZERO, Duration.ZERO);
                if (outcome.kind() == Outcome.Kind.REMOVE) {
                    // the push service dropped this subscription for good: so do we
                    store.delete(id, Removal.GONE);
                }
                answer.complete(answer(result, outcome));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer.completeExceptionally(e);
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    static JsonObject answer(PushResult result, Outcome outcome) {
        String said = switch (outcome.kind()) {
            case SENT -> "delivered";
            case REMOVE -> "gone";
            default -> "failed";
        };
        return JsonBody.object()
                .add("outcome", said)
                .add("push_service_status", result.status())
                .add("reason", result.summary())
                .build();
    }

    static String host(String endpoint) {
        try {
            return URI.create(endpoint).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
