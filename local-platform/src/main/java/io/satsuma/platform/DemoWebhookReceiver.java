package io.satsuma.platform;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local webhook endpoint for the demo: appends every delivery it receives to a file. */
public final class DemoWebhookReceiver implements AutoCloseable {
    private final HttpServer server;

    private DemoWebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static DemoWebhookReceiver start(Path file) {
        try {
            Files.createDirectories(file.getParent());
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/webhook", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String line = exchange.getRequestHeaders().getFirst("X-Satsuma-Signature") + " " + body + "\n";
                synchronized (DemoWebhookReceiver.class) {
                    Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return new DemoWebhookReceiver(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
