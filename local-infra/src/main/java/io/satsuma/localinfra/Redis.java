package io.satsuma.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import redis.embedded.RedisServer;

/** A Redis server: the real redis-server binary shipped by embedded-redis, or an external one. */
public final class Redis implements AutoCloseable {
    private final RedisServer server;
    private final String url;

    private Redis(RedisServer server, String url) {
        this.server = server;
        this.url = url;
    }

    /** Starts an in-memory Redis (no snapshots, no AOF: it is a cache). */
    public static Redis startEmbedded() {
        int port = FreePorts.next();
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            return new Redis(server, "redis://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not start", e);
        }
    }

    public static Redis external(String url) {
        return new Redis(null, url);
    }

    public String url() {
        return url;
    }

    public boolean isEmbedded() {
        return server != null;
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
