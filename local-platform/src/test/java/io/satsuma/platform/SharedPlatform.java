package io.satsuma.platform;

import io.satsuma.sandbox.ChannelSandbox;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One platform (infrastructure, the four packaged services, the channel sandbox) for every end-to-end test class
 * of the run: started by the first class that asks, closed by JUnit when the run ends. Each test isolates itself
 * in a workspace of its own.
 */
final class SharedPlatform implements AutoCloseable {
    final Platform platform;
    final ChannelSandbox sandbox;
    final Path root;

    private SharedPlatform(Platform platform, ChannelSandbox sandbox, Path root) {
        this.platform = platform;
        this.sandbox = sandbox;
        this.root = root;
    }

    private static SharedPlatform start() {
        QuietLogs.apply();
        Path root = Path.of(System.getProperty("satsuma.root", "..")).toAbsolutePath().normalize();
        Platform platform = Platform.start(root, root.resolve("local-platform/target/e2e"), Map.of(), 0, System.getenv());
        try {
            return new SharedPlatform(platform, ChannelSandbox.start(0, ChannelSandbox.specsBeside(root)), root);
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    @Override
    public void close() {
        sandbox.close();
        platform.close();
    }

    /** Gives a {@code @BeforeAll} method a {@link SharedPlatform} parameter. */
    static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedPlatform.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .computeIfAbsent(SharedPlatform.class, key -> start(), SharedPlatform.class);
        }
    }
}
