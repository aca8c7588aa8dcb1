package dev.oasisj.node;

import java.util.List;

/**
 * The JVM flags every process that opens a Chronicle journal needs on Java 17 (shared/TOOLCHAIN.md), for child JVMs the
 * node shell starts itself ({@code localnet --processes}, tests). The {@code ./oasis} launcher passes the same list.
 */
public final class JvmFlags {
    private JvmFlags() {}

    public static final List<String> CHRONICLE = List.of(
            "-Dchronicle.analytics.disable=true",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED");
}
