package dev.warden.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Scans files and directory trees on all cores with bounded memory: one thread walks (depth-first,
 * sorted, {@code .git} and {@code .gitignore}d paths left out unless told otherwise), at most
 * {@code threads} files are read at once, each read whole up to the size limit. Binary files
 * (a NUL byte in the first 8,000), files over the limit, symbolic links (unless followed, with loop
 * detection), special files (FIFOs, sockets, devices) and unreadable files are skipped and counted,
 * never fatal. Archives (zip, tar, gzip) are opened by {@link ArchiveScanner} within {@link
 * ArchiveLimits}; their members are reported as {@code outer.zip!dir/file}.
 */
public final class FileScanner {
    /** Bytes examined for a NUL to call a file binary, as git does. */
    static final int BINARY_PROBE = 8000;

    private final Engine engine;
    private final Options options;
    private final ArchiveScanner archives;

    /** How to walk and read. */
    public record Options(
            long maxFileSize, boolean respectGitignore, boolean followSymlinks, int threads, ArchiveLimits archives) {
        public Options {
            if (maxFileSize < 1 || maxFileSize > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("max file size must be between 1 byte and 2 GiB");
            }
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be between 1 and 256");
            }
            if (archives == null) {
                archives = ArchiveLimits.defaults(ArchiveLimits.DEFAULT_DEPTH, maxFileSize);
            }
        }

        /** Archives opened to the default depth, members as large as files. */
        public Options(long maxFileSize, boolean respectGitignore, boolean followSymlinks, int threads) {
            this(maxFileSize, respectGitignore, followSymlinks, threads, null);
        }

        public static Options defaults() {
            return new Options(
                    Limits.DEFAULT_MAX_FILE_SIZE,
                    true,
                    false,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    public FileScanner(Engine engine, Options options) {
        this.engine = engine;
        this.options = options;
        this.archives = new ArchiveScanner(options.archives());
    }

    /** Scans every root (a file or a directory); a root that does not exist is a usage error. */
    public List<Hit> scan(List<Path> roots, ScanStats stats) {
        for (Path root : roots) {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException(root + ": no such file or directory");
            }
        }
        ConcurrentLinkedQueue<Hit> hits = new ConcurrentLinkedQueue<>();
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "warden-scan-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(options.threads() * 2);
        AtomicReference<Error> fatal = new AtomicReference<>();
        try {
            for (Path root : roots) {
                walk(root, stats, (path, display, size) -> {
                    inFlight.acquireUninterruptibly();
                    pool.execute(() -> {
                        try {
                            scanFile(path, display, size, stats, hits);
                        } catch (RuntimeException e) {
                            stats.skip(
                                    "error",
                                    display,
                                    "rule or engine error: " + e.getClass().getSimpleName());
                        } catch (Error e) { // out of memory, stack overflow: the caller reports it
                            fatal.compareAndSet(null, e);
                        } finally {
                            inFlight.release();
                        }
                    });
                });
            }
        } finally {
            pool.shutdown();
            try {
                while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    // keep waiting: every task is bounded by the file size limit
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (fatal.get() != null) {
            throw fatal.get();
        }
        List<Hit> out = new ArrayList<>(hits);
        out.sort(Report.ORDER);
        return out;
    }

    /** Scans bytes that are not on disk (an API request, the git index) as the file {@code display}. */
    public List<Hit> scanBytes(String display, byte[] data, ScanStats stats) {
        List<Hit> out = new ArrayList<>();
        scanData(display, data, stats, out, null);
        return out;
    }

    private interface Visitor {
        void file(Path path, String display, long size);
    }

    private void walk(Path root, ScanStats stats, Visitor visitor) {
        String rootDisplay = display(root);
        BasicFileAttributes rootAttrs = attributes(root, true);
        if (rootAttrs == null) {
            stats.skip("unreadable", rootDisplay, "cannot read attributes");
            return;
        }
        if (!rootAttrs.isDirectory()) {
            if (rootAttrs.isRegularFile()) {
                visitor.file(root, rootDisplay, rootAttrs.size());
            } else {
                stats.skip("special", rootDisplay, "not a regular file");
            }
            return;
        }
        Set<Path> visited = new HashSet<>();
        Deque<Dir> stack = new ArrayDeque<>();
        stack.push(new Dir(root, "", List.of()));
        while (!stack.isEmpty()) {
            Dir dir = stack.pop();
            if (options.followSymlinks()) {
                try {
                    if (!visited.add(dir.path().toRealPath())) {
                        stats.skip("symlink-loop", join(rootDisplay, dir.rel()), "directory already visited");
                        continue;
                    }
                } catch (IOException e) {
                    stats.skip("unreadable", join(rootDisplay, dir.rel()), describe(e));
                    continue;
                }
            }
            List<Ignore> ignores = dir.ignores();
            if (options.respectGitignore()) {
                Path gi = dir.path().resolve(".gitignore");
                if (Files.isRegularFile(gi)) {
                    IgnoreNode node = new IgnoreNode();
                    try (InputStream in = Files.newInputStream(gi)) {
                        node.parse(gi.toString(), in);
                        List<Ignore> more = new ArrayList<>(ignores);
                        more.add(new Ignore(dir.rel(), node));
                        ignores = more;
                    } catch (IOException e) {
                        stats.skip("unreadable", join(rootDisplay, dir.rel() + ".gitignore"), describe(e));
                    }
                }
            }
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.path())) {
                ds.forEach(entries::add);
            } catch (IOException | RuntimeException e) {
                stats.skip("unreadable", join(rootDisplay, dir.rel()), describe(e));
                continue;
            }
            entries.sort(null);
            List<Dir> subdirs = new ArrayList<>();
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String rel = dir.rel() + name;
                String shown = join(rootDisplay, rel);
                BasicFileAttributes link = attributes(entry, false);
                if (link == null) {
                    stats.skip("unreadable", shown, "cannot read attributes");
                    continue;
                }
                BasicFileAttributes attrs = link;
                if (link.isSymbolicLink()) {
                    if (!options.followSymlinks()) {
                        stats.skip("symlink", shown, null);
                        continue;
                    }
                    attrs = attributes(entry, true);
                    if (attrs == null) {
                        stats.skip("unreadable", shown, "broken symbolic link");
                        continue;
                    }
                }
                if (attrs.isDirectory()) {
                    if (name.equals(".git")) {
                        continue;
                    }
                    if (isIgnored(ignores, rel, true)) {
                        stats.skip("ignored", shown, null);
                        continue;
                    }
                    subdirs.add(new Dir(entry, rel + "/", ignores));
                } else if (attrs.isRegularFile()) {
                    if (isIgnored(ignores, rel, false)) {
                        stats.skip("ignored", shown, null);
                        continue;
                    }
                    visitor.file(entry, shown, attrs.size());
                } else {
                    stats.skip("special", shown, "not a regular file");
                }
            }
            for (int i = subdirs.size() - 1; i >= 0; i--) {
                stack.push(subdirs.get(i));
            }
        }
    }

    private record Dir(Path path, String rel, List<Ignore> ignores) {}

    private record Ignore(String base, IgnoreNode node) {}

    private static boolean isIgnored(List<Ignore> ignores, String rel, boolean directory) {
        for (int i = ignores.size() - 1; i >= 0; i--) {
            Ignore ig = ignores.get(i);
            if (!rel.startsWith(ig.base())) {
                continue;
            }
            Boolean r = ig.node().checkIgnored(rel.substring(ig.base().length()), directory);
            if (r != null) {
                return r;
            }
        }
        return false;
    }

    private void scanFile(Path path, String display, long size, ScanStats stats, ConcurrentLinkedQueue<Hit> out) {
        if (size > options.maxFileSize()) {
            stats.skip("too-large", display, null);
            out.addAll(engine.scan(display, "", null, null).hits()); // path-only rules still apply
            return;
        }
        byte[] data;
        try (InputStream in = Files.newInputStream(path)) {
            data = in.readNBytes((int) options.maxFileSize() + 1);
        } catch (IOException | RuntimeException e) {
            stats.skip("unreadable", display, describe(e));
            return;
        }
        if (data.length > options.maxFileSize()) {
            stats.skip("too-large", display, null);
            return;
        }
        List<Hit> hits = new ArrayList<>();
        if (archives.opens(data)) {
            archives.scan(display, data, stats, (member, bytes) -> scanData(member, bytes, stats, hits, null));
        } else {
            scanData(display, data, stats, hits, null);
        }
        out.addAll(hits);
    }

    private void scanData(String display, byte[] data, ScanStats stats, List<Hit> out, String commit) {
        if (isBinary(data)) {
            stats.skip("binary", display, null);
            out.addAll(engine.scan(display, "", commit, null).hits()); // path-only rules (key stores)
            return;
        }
        stats.scanned(data.length);
        Engine.Result r = engine.scan(display, data, commit, null);
        stats.allowed(r);
        out.addAll(r.hits());
    }

    static boolean isBinary(byte[] data) {
        int n = Math.min(data.length, BINARY_PROBE);
        for (int i = 0; i < n; i++) {
            if (data[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static BasicFileAttributes attributes(Path p, boolean follow) {
        try {
            return follow
                    ? Files.readAttributes(p, BasicFileAttributes.class)
                    : Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String display(Path root) {
        String s = root.normalize().toString().replace('\\', '/');
        return s.isEmpty() ? "." : s;
    }

    private static String join(String root, String rel) {
        if (rel.isEmpty()) {
            return root;
        }
        return root.equals(".") ? rel : root.endsWith("/") ? root + rel : root + "/" + rel;
    }

    static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "disappeared while scanning";
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int colon = m.lastIndexOf(": ");
        String tail = colon >= 0 ? m.substring(colon + 2) : m;
        return tail.isEmpty() ? m : tail.substring(0, 1).toLowerCase(Locale.ROOT) + tail.substring(1);
    }
}
