package dev.herald.fanout.entity;

import dev.herald.push.entity.Message;
import java.time.Instant;
import java.time.LocalTime;

/**
 * What a batch needs to know of its job: the message, and how to pace it. created is when the job
 * was accepted (Herald's clock): a local-time job goes to each zone at the first localTime after it.
 * throttlePerMinute is 0 for no limit.
 */
public record JobSpec(Message message, Instant created, LocalTime localTime, int throttlePerMinute) {

    public boolean throttled() {
        return throttlePerMinute > 0;
    }
}
