package io.satsuma.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
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

    /**
     * Freezes the embedded server (SIGSTOP): connections stay open and its data stays, but nothing answers — Redis
     * unavailable, not flushed. {@link #resume} lets it go on with what it held.
     */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        if (server == null) {
            throw new IllegalStateException("only an embedded Redis can be paused");
        }
        String port = url.substring(url.lastIndexOf(':') + 1);
        // The server's command line names its port, or only a generated config file: then it must be the only one.
        List<ProcessHandle> servers = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("redis-server")).orElse(false)).toList();
        List<ProcessHandle> onPort = servers.stream()
                .filter(p -> p.info().commandLine().map(c -> c.contains(":" + port) || c.contains(" " + port)).orElse(false))
                .toList();
        ProcessHandle process = onPort.size() == 1 ? onPort.get(0) : servers.size() == 1 ? servers.get(0) : null;
        if (process == null) {
            throw new IllegalStateException("cannot tell which redis-server serves port " + port + ": " + servers.size() + " run");
        }
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
