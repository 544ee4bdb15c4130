package dev.warden.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the figures were measured on: JDK, heap settings, processors, memory. */
final class Machine {
    private Machine() {}

    static String describe() {
        Runtime rt = Runtime.getRuntime();
        return String.format(
                Locale.ROOT,
                "jdk %s (%s %s); jvm args %s; max heap %,d MB; gc %s; %d processors; memory %s",
                Runtime.version(),
                System.getProperty("java.vm.vendor"),
                System.getProperty("java.vm.name"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                rt.maxMemory() / 1_000_000,
                String.join(
                        "+",
                        ManagementFactory.getGarbageCollectorMXBeans().stream()
                                .map(g -> g.getName())
                                .toList()),
                rt.availableProcessors(),
                meminfo());
    }

    /** The process's peak resident set (VmHWM) and current RSS, from /proc. */
    static String peakRss() {
        String hwm = procStatus("VmHWM:");
        String rss = procStatus("VmRSS:");
        return "peak " + hwm + ", now " + rss;
    }

    private static String procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    long kb =
                            Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
                    return String.format(Locale.ROOT, "%,.0f MB", kb / 1e3);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
        return "n/a";
    }

    private static String meminfo() {
        try {
            long total = 0;
            long available = 0;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    total = Long.parseLong(line.split("\\s+")[1]);
                } else if (line.startsWith("MemAvailable:")) {
                    available = Long.parseLong(line.split("\\s+")[1]);
                }
            }
            return String.format(Locale.ROOT, "%.1f GB total, %.1f GB available", total / 1e6, available / 1e6);
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
