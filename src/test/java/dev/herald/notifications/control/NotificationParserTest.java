package dev.herald.notifications.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.fanout.entity.Audience;
import dev.herald.notifications.entity.Notification;
import dev.herald.platform.boundary.InvalidField;
import dev.herald.platform.boundary.PayloadTooLargeException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.BadRequestException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NotificationParserTest {

    static final String ID = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text.replace('\'', '"')))) {
            return reader.readObject();
        }
    }

    static Notification parse(String text) {
        return NotificationParser.parse(json(text));
    }

    static void rejects(String text, String detail) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(BadRequestException.class).hasMessageContaining(detail);
    }

    /** A field error: the detail, and the RFC 6901 pointer to the member it is about (the console shows it there). */
    static void rejects(String text, String pointer, String detail) {
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(InvalidField.class,
                field -> assertThat(field.pointer()).as(detail).isEqualTo(pointer)).hasMessageContaining(detail);
    }

    @Test
    void minimalNotificationGetsDefaults() {
        var n = parse("{'title':'Hi'}");
        assertThat(n.title()).isEqualTo("Hi");
        assertThat(n.ttl()).isEqualTo(2_419_200);
        assertThat(n.urgency()).isNull();
        assertThat(n.topic()).isNull();
        assertThat(n.audience()).isEqualTo(Audience.everyone());
        assertThat(n.audience().lane()).isEqualTo(dev.herald.fanout.entity.Lane.BULK);
        assertThat(message(n).getJsonObject("notification").getString("tag")).as("the tag defaults to the job id").isEqualTo(ID);
    }

    @Test
    void topicPerJobIsTheJobIdWithoutDashesOnlyWhenAskedForAndNoTopicWasGiven() {
        assertThat(parse("{'title':'Hi'}").options(ID, false).topic()).isNull();
        assertThat(parse("{'title':'Hi'}").options(ID, true).topic()).isEqualTo(ID.replace("-", "")).hasSize(32);
        assertThat(parse("{'title':'Hi','topic':'mine'}").options(ID, true).topic()).isEqualTo("mine");
    }

    @Test
    void displayFieldsGoToTheDisplayAndTheRestToTheOptionsAndTarget() {
        var n = parse("{'ttl':60,'urgency':'high','topic':'news','tag':'t','image':'/i.png','badge':'/b.png',"
                + "'icon':'https://example.com/i.png','url':'/page','body':'B','title':'T','subscriptions':['" + ID + "']}");
        assertThat(n.display()).isEqualTo(new dev.herald.notifications.entity.Display("T", "B", "/page", "https://example.com/i.png",
                "/b.png", "/i.png", "t", java.util.List.of(), false, false, false, null, null, null, null));
        var options = n.options(ID, false);
        assertThat(options.ttlSeconds()).isEqualTo(60);
        assertThat(options.urgency()).isEqualTo("high");
        assertThat(options.topic()).isEqualTo("news");
        assertThat(n.subscriptions()).containsExactly(ID);
        assertThat(n.audience()).isEqualTo(new Audience.Listed(java.util.List.of(ID)));
        assertThat(n.audience().lane()).isEqualTo(dev.herald.fanout.entity.Lane.PRIORITY);
    }

    @Test
    void nullMembersCountAsAbsent() {
        var n = parse("{'title':'T','body':null,'ttl':null,'subscriptions':null}");
        assertThat(n.display().body()).isNull();
        assertThat(n.ttl()).isEqualTo(Notification.DEFAULT_TTL);
        assertThat(n.audience()).isEqualTo(Audience.everyone());
    }

    @Test
    void unknownFieldsAreRefused() {
        rejects("{'title':'T','titel':'x','extra':1}", "/extra", "Unknown field(s) extra, titel");
    }

    @Test
    void titleIsRequiredAndMustBeAString() {
        rejects("{'body':'B'}", "/title", "title is required");
        rejects("{'title':'  '}", "/title", "title is required");
        rejects("{'title':5}", "/title", "title must be a string, not number");
        rejects("{'title':'T','body':true}", "/body", "body must be a string, not true");
    }

    @Test
    void ttlMustBeWholeSecondsWithinFourWeeks() {
        assertThat(parse("{'title':'T','ttl':0}").ttl()).isZero();
        assertThat(parse("{'title':'T','ttl':2419200}").ttl()).isEqualTo(2_419_200);
        rejects("{'title':'T','ttl':2419201}", "/ttl", "ttl must be between 0 and 2419200");
        rejects("{'title':'T','ttl':-1}", "/ttl", "ttl must be between 0 and 2419200");
        rejects("{'title':'T','ttl':1.5}", "/ttl", "ttl must be a whole number");
        rejects("{'title':'T','ttl':'60'}", "/ttl", "ttl must be a whole number");
        rejects("{'title':'T','ttl':99999999999999999999999}", "/ttl", "ttl must be between");
    }

    @Test
    void urgencyMustBeOneOfRfc8030Values() {
        for (String urgency : new String[] {"very-low", "low", "normal", "high"}) {
            assertThat(parse("{'title':'T','urgency':'" + urgency + "'}").urgency()).isEqualTo(urgency);
        }
        rejects("{'title':'T','urgency':'urgent'}", "/urgency", "urgency must be one of");
        rejects("{'title':'T','urgency':'HIGH'}", "/urgency", "urgency must be one of");
    }

    @Test
    void topicIsAtMost32Base64UrlCharacters() {
        assertThat(parse("{'title':'T','topic':'Abc-_09'}").topic()).isEqualTo("Abc-_09");
        assertThat(parse("{'title':'T','topic':'" + "a".repeat(32) + "'}").topic()).hasSize(32);
        rejects("{'title':'T','topic':'" + "a".repeat(33) + "'}", "/topic", "topic must be 1 to 32");
        rejects("{'title':'T','topic':'a b'}", "/topic", "topic must be 1 to 32");
        rejects("{'title':'T','topic':'a+b/'}", "/topic", "topic must be 1 to 32");
        rejects("{'title':'T','topic':''}", "/topic", "topic must be 1 to 32");
    }

    @Test
    void linksMustBeHttpsOrSameOriginPaths() {
        rejects("{'title':'T','url':'javascript:alert(1)'}", "/url", "url must be an https URL");
        rejects("{'title':'T','icon':'data:image/png;base64,AAAA'}", "/icon", "icon must be an https URL");
        rejects("{'title':'T','badge':'http://example.com/b.png'}", "/badge", "badge must be an https URL");
        rejects("{'title':'T','image':'//evil.example/x.png'}", "/image", "image must be an https URL or a path");
        rejects("{'title':'T','url':'page.html'}", "/url", "url must be an https URL or a path");
        rejects("{'title':'T','url':'/\\\\evil.example'}", "/url", "backslash");
        rejects("{'title':'T','url':'https:///nohost'}", "/url", "url must be an https URL with a host");
        assertThat(parse("{'title':'T','url':'HTTPS://example.com/a?b=c#d'}").display().url()).isEqualTo("HTTPS://example.com/a?b=c#d");
    }

    @Test
    void tagLengthIsBounded() {
        rejects("{'title':'T','tag':''}", "/tag", "tag must be 1 to 256");
        rejects("{'title':'T','tag':'" + "t".repeat(257) + "'}", "/tag", "tag must be 1 to 256");
    }

    @Test
    void subscriptionsMustBeANonEmptyListOfIds() {
        var n = parse("{'title':'T','subscriptions':['" + ID + "','" + ID + "']}");
        assertThat(n.subscriptions()).containsExactly(ID);
        rejects("{'title':'T','subscriptions':[]}", "/subscriptions", "non-empty array");
        rejects("{'title':'T','subscriptions':'" + ID + "'}", "/subscriptions", "non-empty array");
        rejects("{'title':'T','subscriptions':['not-an-id']}", "/subscriptions/0", "\"not-an-id\" is not one");
        rejects("{'title':'T','subscriptions':[1]}", "/subscriptions/0", "1 is not one");
        rejects("{'title':'T','subscriptions':['" + ID.toUpperCase() + "']}", "/subscriptions/0", "is not one");
    }

    @Test
    void payloadOver3993BytesIsTooLargeAndSaysItsSize() {
        // the whole message counts, its token and legacy fields included (the title is there twice); 'é' is 2 bytes of UTF-8
        int frame = bytes(parse("{'title':'x'}")).length - 2;
        int left = 3993 - frame;
        String fits = "é".repeat(left / 4) + "x".repeat(left % 4 / 2);
        assertThat(bytes(parse("{'title':'" + fits + "'}"))).hasSize(3993);
        String tooBig = fits + "é";
        assertThatThrownBy(() -> parse("{'title':'" + tooBig + "'}"))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining((3993 + 4) + " bytes").hasMessageContaining("at most 3993");
    }

    @Test
    void sendAtLocalTimeAndThrottleMakeThePlan() {
        var plan = parse("{'title':'T','send_at':'2026-12-24T09:00:00+01:00','throttle_per_minute':600}").plan();
        assertThat(plan.sendAt()).isEqualTo("2026-12-24T08:00:00Z");
        assertThat(plan.throttlePerMinute()).isEqualTo(600);
        assertThat(parse("{'title':'T','send_at':'2026-12-24t08:00:00.5z'}").plan().sendAt()).isEqualTo("2026-12-24T08:00:00.500Z");
        assertThat(parse("{'title':'T','local_time':'09:30'}").plan().localTime()).isEqualTo(java.time.LocalTime.of(9, 30));
        assertThat(parse("{'title':'T'}").plan()).isEqualTo(dev.herald.fanout.entity.Plan.immediate());
    }

    @Test
    void sendAtMustBeAnRfc3339TimestampWithAnOffset() {
        rejects("{'title':'T','send_at':'2026-12-24T09:00:00'}", "/send_at", "send_at '2026-12-24T09:00:00' has no offset");
        rejects("{'title':'T','send_at':'tomorrow'}", "/send_at", "send_at 'tomorrow' is not an RFC 3339 timestamp");
        rejects("{'title':'T','send_at':'2026-02-30T09:00:00Z'}", "/send_at", "is not an RFC 3339 timestamp");
        rejects("{'title':'T','send_at':1767000000}", "/send_at", "send_at must be a string");
    }

    @Test
    void localTimeIsHoursAndMinutesAndCannotBeCombinedWithSendAt() {
        for (String bad : new String[] {"9:00", "24:00", "23:60", "09:00:00", "0900", ""}) {
            rejects("{'title':'T','local_time':'" + bad + "'}", "/local_time", "local_time must be HH:MM");
        }
        rejects("{'title':'T','local_time':'09:00','send_at':'2026-12-24T09:00:00Z'}", "/local_time", "send_at and local_time cannot be combined");
    }

    @Test
    void throttleIsAWholeNumberFrom60ToAMillion() {
        rejects("{'title':'T','throttle_per_minute':59}", "/throttle_per_minute", "throttle_per_minute must be a whole number of pushes per minute from 60 to 1000000, not 59");
        rejects("{'title':'T','throttle_per_minute':1000001}", "/throttle_per_minute", "not 1000001");
        rejects("{'title':'T','throttle_per_minute':100.5}", "/throttle_per_minute", "not 100.5");
        rejects("{'title':'T','throttle_per_minute':'600'}", "/throttle_per_minute", "throttle_per_minute must be");
        rejects("{'title':'T','throttle_per_minute':1e30}", "/throttle_per_minute", "throttle_per_minute must be");
        assertThat(parse("{'title':'T','throttle_per_minute':60}").plan().throttlePerMinute()).isEqualTo(60);
        assertThat(parse("{'title':'T','throttle_per_minute':1000000}").plan().throttlePerMinute()).isEqualTo(1_000_000);
    }

    @Test
    void richFieldsAreReadIntoTheDisplay() {
        var n = parse("{'title':'T','tag':'t','renotify':true,'require_interaction':true,'silent':false,'lang':'de-CH','dir':'rtl',"
                + "'badge_count':0,'data':{'order':42,'items':['a']},'actions':[{'action':'open-1','title':'Open','url':'/o'},"
                + "{'action':'later','title':'Later'}]}");
        var d = n.display();
        assertThat(d.actions()).containsExactly(new dev.herald.notifications.entity.Action("open-1", "Open", "/o"),
                new dev.herald.notifications.entity.Action("later", "Later", null));
        assertThat(d.renotify()).isTrue();
        assertThat(d.requireInteraction()).isTrue();
        assertThat(d.silent()).isFalse();
        assertThat(d.lang()).isEqualTo("de-CH");
        assertThat(d.dir()).isEqualTo("rtl");
        assertThat(d.badgeCount()).isZero();
        assertThat(d.data().getInt("order")).isEqualTo(42);
        assertThat(parse("{'title':'T','badge_count':99999}").display().badgeCount()).isEqualTo(99_999);
    }

    @Test
    void badRichFieldsAreRefusedNamingTheField() {
        rejects("{'title':'T','actions':[{'action':'a','title':'A'},{'action':'b','title':'B'},{'action':'c','title':'C'}]}", "/actions",
                "actions holds 3 entries; at most 2");
        rejects("{'title':'T','actions':[{'action':'a'}]}", "/actions/0/title", "actions[0].title is required");
        rejects("{'title':'T','actions':[{'action':'a','title':' '}]}", "/actions/0/title", "actions[0].title is required");
        rejects("{'title':'T','actions':[{'action':'a','title':'A','url':'javascript:alert(1)'}]}", "/actions/0/url", "actions[0].url must be an https URL");
        rejects("{'title':'T','actions':[{'action':'Big','title':'A'}]}", "/actions/0/action", "actions[0].action is required: 1 to 32 of a-z");
        rejects("{'title':'T','actions':[{'title':'A'}]}", "/actions/0/action", "actions[0].action is required");
        rejects("{'title':'T','actions':[{'action':'a','title':'A'},{'action':'a','title':'B'}]}", "/actions/1/action", "actions[1].action 'a' is used twice");
        rejects("{'title':'T','actions':[{'action':'a','title':'A','icon':'/i'}]}", "/actions/0/icon", "actions[0] has unknown field(s) icon");
        rejects("{'title':'T','actions':{'action':'a'}}", "/actions", "actions must be an array");
        rejects("{'title':'T','actions':['a']}", "/actions/0", "actions[0] must be an object");
        rejects("{'title':'T','renotify':true}", "/renotify", "renotify needs a tag");
        rejects("{'title':'T','silent':'yes'}", "/silent", "silent must be true or false");
        rejects("{'title':'T','require_interaction':1}", "/require_interaction", "require_interaction must be true or false");
        rejects("{'title':'T','data':[1]}", "/data", "data must be a JSON object");
        rejects("{'title':'T','data':'x'}", "/data", "data must be a JSON object");
        rejects("{'title':'T','data':{'x':'" + "y".repeat(1020) + "'}}", "/data", "data is 1028 bytes of JSON; at most 1024");
        rejects("{'title':'T','badge_count':-1}", "/badge_count", "badge_count must be a whole number from 0 to 99999");
        rejects("{'title':'T','badge_count':1.5}", "/badge_count", "badge_count must be a whole number");
        rejects("{'title':'T','badge_count':100000}", "/badge_count", "badge_count must be a whole number");
        rejects("{'title':'T','badge_count':'3'}", "/badge_count", "badge_count must be a whole number");
        rejects("{'title':'T','lang':'not a tag'}", "/lang", "lang must be a BCP 47 language tag");
        rejects("{'title':'T','lang':''}", "/lang", "lang must be a BCP 47 language tag");
        rejects("{'title':'T','dir':'up'}", "/dir", "dir must be auto, ltr or rtl");
        rejects("{'title':'" + dev.herald.engagement.control.EventTokens.MARKER + "'}", "must not contain the text '{{herald:'");
    }

    static byte[] bytes(Notification n) {
        return DeclarativePayload.forJob(n.display(), ID, dev.herald.notifications.entity.PayloadFormat.DEFAULT).bytes();
    }

    static jakarta.json.JsonObject message(Notification n) {
        return jakarta.json.Json.createReader(new java.io.StringReader(new String(bytes(n), StandardCharsets.UTF_8))).readObject();
    }

    @Test
    void channelAndUserErrorsPointAtTheListOrAtTheEntry() {
        var channels = dev.herald.subscriptions.control.Channels.of("news=News");
        var cases = java.util.Map.of(
                "{'title':'T','channels':'news'}", "/channels",
                "{'title':'T','channels':[]}", "/channels",
                "{'title':'T','channels':['news','weather']}", "/channels/1",
                "{'title':'T','channels':['news','news']}", "/channels/1",
                "{'title':'T','users':'u-1'}", "/users",
                "{'title':'T','users':['u-1','u 2']}", "/users/1",
                "{'title':'T','users':['u-1',7]}", "/users/1");
        cases.forEach((text, pointer) -> assertThatThrownBy(() -> NotificationParser.parse(json(text), channels,
                dev.herald.notifications.entity.PayloadFormat.DEFAULT))
                .as(text).isInstanceOfSatisfying(InvalidField.class, field -> assertThat(field.pointer()).as(text).isEqualTo(pointer)));
    }
}
