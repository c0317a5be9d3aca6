package dev.herald.platform.control;

/**
 * The Lua that records a webhook event in the outbox, included by every script that makes a change
 * worth one (a job ending, a subscription deleted), so that the event exists if and only if the
 * change happened: Redis runs the script atomically. With no targets published
 * (Keys.WEBHOOK_TARGETS absent: no instance has herald.webhooks.urls) it writes nothing. An event
 * is one stream entry, whose id is the event's id, plus one member per target in the due set,
 * due now by Herald's clock; webhooks.control.Outbox delivers them.
 */
public final class Events {

    /** Lua: emit_event(P, type, data), data a table of strings (encoded as a JSON object). */
    public static final String EMIT = """
            local function emit_event(P, kind, data)
              local targets = redis.call('GET', P .. '%1$s')
              if not targets or targets == '' then
                return
              end
              local t = redis.call('TIME')
              local now = t[1] * 1000 + math.floor(t[2] / 1000) + (tonumber(redis.call('GET', P .. '%2$s')) or 0)
              local id = redis.call('XADD', P .. '%3$s', '*', 'type', kind, 'created', now, 'data', cjson.encode(data))
              local n = 0
              for url in string.gmatch(targets, '[^\\n]+') do
                redis.call('ZADD', P .. '%4$s', now, id .. '|' .. url)
                n = n + 1
              end
              redis.call('HSET', P .. '%5$s' .. id, 'left', n)
            end
            """.formatted(Keys.WEBHOOK_TARGETS, Keys.CLOCK_SHIFT, Keys.WEBHOOK_OUTBOX, Keys.WEBHOOK_DUE, Keys.WEBHOOK_EVENT);

    private Events() {
    }
}
