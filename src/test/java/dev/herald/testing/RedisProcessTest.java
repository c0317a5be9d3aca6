package dev.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

class RedisProcessTest {

    @TempDir
    Path dir;

    @Test
    void startsOnAFreeLoopbackPortThatIsNotTheSharedRedis() throws IOException {
        try (var redis = RedisProcess.start(dir); var client = client(redis)) {
            assertThat(redis.port()).isNotEqualTo(6379);
            assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.alive()).isTrue();
            assertThat(ProcessHandle.of(redis.pid())).isPresent();
            assertThat(redis.dir()).isEqualTo(dir.toAbsolutePath());
            assertThat(client.ping()).isEqualTo("PONG");
            assertThat(client.info("persistence")).contains("aof_enabled:1");
        }
    }

    @Test
    void restartAfterACleanStopReplaysTheAppendOnlyFile() throws IOException {
        try (var redis = RedisProcess.start(dir)) {
            try (var client = client(redis)) {
                client.set("k:1", "one");
                client.hset("k:2", "field", "two");
            }
            long firstPid = redis.pid();

            redis.stop();
            assertThat(redis.alive()).isFalse();
            assertThat(RespWire.listening(redis.port())).isFalse();

            redis.restart();
            assertThat(redis.alive()).isTrue();
            assertThat(redis.pid()).isNotEqualTo(firstPid);
            try (var client = client(redis)) {
                assertThat(client.get("k:1")).isEqualTo("one");
                assertThat(client.hget("k:2", "field")).isEqualTo("two");
            }
        }
    }

    @Test
    void restartAfterAKillReplaysWhatReachedTheAppendOnlyFile() throws IOException {
        try (var redis = RedisProcess.start(dir)) {
            try (var client = client(redis)) {
                // With appendfsync always Redis writes and fsyncs the AOF before it replies, so the key is
                // on disk when set() returns; under everysec a kill may lose the last second, and only a
                // sleep could make the test pass. The restarted server is back on everysec (command line).
                client.configSet("appendfsync", "always");
                client.set("k:killed", "survives");
            }

            redis.kill();
            assertThat(redis.alive()).isFalse();
            assertThat(RespWire.listening(redis.port())).isFalse();

            redis.restart();
            try (var client = client(redis)) {
                assertThat(client.get("k:killed")).isEqualTo("survives");
            }
        }
    }

    @Test
    void restartOfARunningServerStopsItCleanlyFirst() throws IOException {
        try (var redis = RedisProcess.start(dir)) {
            try (var client = client(redis)) {
                client.set("k:running", "kept");
            }
            long firstPid = redis.pid();

            redis.restart();
            assertThat(redis.pid()).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
            try (var client = client(redis)) {
                assertThat(client.get("k:running")).isEqualTo("kept");
            }
        }
    }

    @Test
    void fallsBackToTheEmbeddedRedisBinaryWhenNoneIsInstalled() throws IOException {
        Path embedded = RedisBinary.embedded();
        assertThat(embedded).startsWith(RedisBinary.EMBEDDED_DIR);
        assertThat(Files.isExecutable(embedded)).isTrue();
        assertThat(RedisBinary.embedded()).as("extracted once, then reused").isEqualTo(embedded);

        try (var redis = RedisProcess.start(dir, embedded)) {
            try (var client = client(redis)) {
                assertThat(client.info("server")).contains("redis_version:6.2");
                client.set("k:embedded", "6.2");
            }
            redis.kill();
            redis.restart();
            try (var client = client(redis)) {
                assertThat(client.get("k:embedded")).isEqualTo("6.2");
            }
        }
    }

    @Test
    void closeStopsTheServerAndKeepsFilesInADirectoryTheTestOwns() throws IOException {
        int port;
        try (var redis = RedisProcess.start(dir)) {
            port = redis.port();
        }
        assertThat(RespWire.listening(port)).isFalse();
        assertThat(dir.resolve("redis-" + port + ".log")).exists();
    }

    @Test
    void closeDeletesTheDirectoryItCreatedItself() throws IOException {
        Path own;
        try (var redis = RedisProcess.start()) {
            own = redis.dir();
            assertThat(own).isDirectory();
        }
        assertThat(own).doesNotExist();
    }

    @Test
    void startFailsWithTheServerOutputWhenTheServerExits() throws IOException {
        // A stand-in that prints its arguments one per bracket and exits, as redis-server does on a bad config;
        // it also shows that "--save" is followed by a real empty argument.
        Path fake = dir.resolve("fake-redis-server");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\"; done\necho\nexit 3\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();

        assertThatThrownBy(() -> RedisProcess.start(dir.resolve("data"), fake))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("[--bind][127.0.0.1][--save][][--appendonly][yes][--appendfsync][everysec]");
    }

    private static UnifiedJedis client(RedisProcess redis) {
        return RedisClient.create(redis.url());
    }
}
