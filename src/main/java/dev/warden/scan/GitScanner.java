package dev.warden.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.storage.file.WindowCacheConfig;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Scans git history with JGit: every commit reachable from HEAD (or from every ref), oldest first,
 * diffed against its first parent; only the lines a commit added are scanned (a line that existed
 * in the parent's version of the file was introduced earlier). Commits are scanned in parallel,
 * each thread with its own object reader. Each secret is reported once, with the commit that
 * introduced it (the earliest in topological order), its author and date, and whether the file at
 * HEAD still holds it. {@link #staged} scans what {@code git commit} would add (index vs HEAD).
 */
public final class GitScanner {
    private final Engine engine;
    private final Options options;

    /** What to walk and how. {@code since} is a revision whose history is left out (REV..HEAD). */
    public record Options(boolean allRefs, String since, long maxBlobSize, int threads) {
        public Options {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be between 1 and 256");
            }
            if (maxBlobSize < 1 || maxBlobSize > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("max file size must be between 1 byte and 2 GiB");
            }
        }
    }

    public GitScanner(Engine engine, Options options) {
        this.engine = engine;
        this.options = options;
    }

    static {
        // Growing files make long delta chains; a larger delta-base cache keeps history scans linear.
        WindowCacheConfig cache = new WindowCacheConfig();
        cache.setPackedGitLimit(256L * 1024 * 1024);
        cache.setDeltaBaseCacheLimit(96 * 1024 * 1024);
        cache.setPackedGitOpenFiles(256);
        cache.install();
    }

    /** Opens the repository at (or above) {@code dir}; a directory that is none is a usage error. */
    static Repository open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": not a directory (a git repository is needed)");
        }
        try {
            FileRepositoryBuilder b = new FileRepositoryBuilder().setMustExist(true);
            if (Files.isDirectory(dir.resolve(".git"))) {
                b.setGitDir(dir.resolve(".git").toFile());
            } else if (Files.isRegularFile(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects"))) {
                b.setGitDir(dir.toFile());
            } else {
                b.findGitDir(dir.toAbsolutePath().toFile());
                if (b.getGitDir() == null) {
                    throw new IllegalArgumentException(dir + ": not a git repository");
                }
            }
            return b.build();
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(dir.toString())) {
                throw iae;
            }
            throw new IllegalArgumentException(dir + ": cannot open git repository: " + FileScanner.describe(e));
        }
    }

    private record CommitInfo(int order, String id, ObjectId tree, ObjectId parentTree, String author, Instant date) {}

    private record Found(int order, Hit hit) {}

    /** Scans the history of the repository at {@code dir}. */
    public List<Hit> history(Path dir, ScanStats stats) {
        try (Repository repo = open(dir)) {
            List<CommitInfo> commits = commits(repo, dir);
            List<Found> found = scanCommits(repo, dir, commits, stats);
            Map<String, Found> first = new HashMap<>();
            for (Found f : found) {
                first.merge(f.hit().rule() + "\u0000" + f.hit().fingerprint(), f, (a, b) -> earlier(a, b) ? a : b);
            }
            List<Hit> hits = new ArrayList<>();
            ObjectId head = repo.resolve(Constants.HEAD + "^{tree}");
            try (ObjectReader reader = repo.newObjectReader()) {
                Map<String, byte[]> atHead = new HashMap<>(); // the file at HEAD, read once per path
                for (Found f : first.values()) {
                    hits.add(f.hit().withPresentAtHead(presentAt(reader, head, f.hit(), atHead)));
                }
            }
            hits.sort(Report.ORDER);
            return hits;
        } catch (IOException e) {
            throw broken(dir, e);
        }
    }

    private static boolean earlier(Found a, Found b) {
        if (a.order() != b.order()) {
            return a.order() < b.order();
        }
        return Report.ORDER.compare(a.hit(), b.hit()) <= 0;
    }

    private List<CommitInfo> commits(Repository repo, Path dir) throws IOException {
        List<CommitInfo> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            boolean any = false;
            if (options.allRefs()) {
                for (Ref ref : repo.getRefDatabase().getRefs()) {
                    ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                    if (id == null) {
                        continue;
                    }
                    try {
                        walk.markStart(walk.parseCommit(id));
                        any = true;
                    } catch (IncorrectObjectTypeException e) {
                        // a tag of a tree or blob: no history to walk
                    }
                }
            }
            ObjectId head = repo.resolve(Constants.HEAD);
            if (head != null) {
                walk.markStart(walk.parseCommit(head));
                any = true;
            }
            if (!any) {
                return out; // an empty repository
            }
            if (options.since() != null) {
                ObjectId since = repo.resolve(options.since());
                if (since == null) {
                    throw new IllegalArgumentException(dir + ": --since '" + options.since() + "' names no revision");
                }
                walk.markUninteresting(walk.parseCommit(since));
            }
            walk.sort(RevSort.TOPO, true);
            walk.sort(RevSort.REVERSE, true);
            for (RevCommit c : walk) {
                ObjectId parentTree = null;
                if (c.getParentCount() > 0) {
                    RevCommit p = c.getParent(0);
                    walk.parseHeaders(p);
                    parentTree = p.getTree();
                }
                PersonIdent a = c.getAuthorIdent();
                out.add(new CommitInfo(
                        out.size(),
                        c.getName(),
                        c.getTree(),
                        parentTree,
                        a == null ? null : a.getName() + " <" + a.getEmailAddress() + ">",
                        a == null ? Instant.ofEpochSecond(c.getCommitTime()) : a.getWhenAsInstant()));
            }
        }
        return out;
    }

    private List<Found> scanCommits(Repository repo, Path dir, List<CommitInfo> commits, ScanStats stats) {
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "warden-git-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            int chunk = Math.max(1, commits.size() / (options.threads() * 8));
            List<Future<List<Found>>> futures = new ArrayList<>();
            for (int i = 0; i < commits.size(); i += chunk) {
                List<CommitInfo> part = commits.subList(i, Math.min(commits.size(), i + chunk));
                futures.add(pool.submit(() -> {
                    List<Found> out = new ArrayList<>();
                    try (ObjectReader reader = repo.newObjectReader()) {
                        for (CommitInfo c : part) {
                            stats.commit();
                            AbstractTreeIterator parent = c.parentTree() == null
                                    ? new EmptyTreeIterator()
                                    : new CanonicalTreeParser(null, reader, c.parentTree());
                            CanonicalTreeParser tree = new CanonicalTreeParser(null, reader, c.tree());
                            for (Hit h : diff(reader, parent, tree, c.id(), stats)) {
                                out.add(new Found(c.order(), h.inCommit(c.id(), c.author(), c.date())));
                            }
                        }
                    }
                    return out;
                }));
            }
            List<Found> all = new ArrayList<>();
            for (Future<List<Found>> f : futures) {
                all.addAll(f.get());
            }
            return all;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw broken(dir, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("history scan interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Scans the lines the staged index adds to HEAD. */
    public List<Hit> staged(Path dir, ScanStats stats) {
        try (Repository repo = open(dir);
                ObjectReader reader = repo.newObjectReader()) {
            DirCache index = repo.readDirCache();
            ObjectId head = repo.resolve(Constants.HEAD + "^{tree}");
            AbstractTreeIterator base =
                    head == null ? new EmptyTreeIterator() : new CanonicalTreeParser(null, reader, head);
            List<Hit> hits = diff(reader, base, new DirCacheIterator(index), null, stats);
            hits.sort(Report.ORDER);
            return hits;
        } catch (IOException e) {
            throw broken(dir, e);
        }
    }

    /** Hits in the lines {@code newer} adds to {@code older}, file by file. */
    private List<Hit> diff(
            ObjectReader reader, AbstractTreeIterator older, AbstractTreeIterator newer, String commit, ScanStats stats)
            throws IOException {
        List<Hit> out = new ArrayList<>();
        try (TreeWalk tw = new TreeWalk(reader)) {
            tw.setRecursive(true);
            tw.addTree(older);
            tw.addTree(newer);
            tw.setFilter(TreeFilter.ANY_DIFF);
            while (tw.next()) {
                FileMode mode = tw.getFileMode(1);
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    continue; // deleted, symlink, submodule
                }
                String path = tw.getPathString();
                byte[] now = blob(reader, tw.getObjectId(1), path, stats);
                if (now == null) {
                    continue;
                }
                FileMode oldMode = tw.getFileMode(0);
                byte[] before = null;
                if (oldMode == FileMode.REGULAR_FILE || oldMode == FileMode.EXECUTABLE_FILE) {
                    before = blob(reader, tw.getObjectId(0), path, null);
                }
                AddedLines added = AddedLines.of(before, now);
                if (added.isEmpty()) {
                    continue;
                }
                stats.scanned(added.text().length());
                Engine.Result r = engine.scan(path, added.text(), commit, added.numbers());
                stats.allowed(r);
                out.addAll(r.hits());
            }
        }
        return out;
    }

    private byte[] blob(ObjectReader reader, ObjectId id, String path, ScanStats stats) throws IOException {
        ObjectLoader loader = reader.open(id, Constants.OBJ_BLOB);
        if (loader.getSize() > options.maxBlobSize()) {
            if (stats != null) {
                stats.skip("too-large", path, null);
            }
            return null;
        }
        byte[] data;
        try {
            data = loader.getCachedBytes((int) options.maxBlobSize());
        } catch (LargeObjectException e) {
            if (stats != null) {
                stats.skip("too-large", path, null);
            }
            return null;
        }
        if (FileScanner.isBinary(data)) {
            if (stats != null) {
                stats.skip("binary", path, null);
            }
            return null;
        }
        return data;
    }

    private boolean presentAt(ObjectReader reader, ObjectId headTree, Hit hit, Map<String, byte[]> atHead)
            throws IOException {
        if (headTree == null || hit.secret() == null) {
            return false;
        }
        byte[] data = atHead.get(hit.path());
        if (data == null) {
            data = headBlob(reader, headTree, hit.path());
            long held = atHead.values().stream().mapToLong(b -> b.length).sum();
            if (held + data.length <= HEAD_CACHE_BYTES) {
                atHead.put(hit.path(), data);
            }
        }
        return indexOf(data, hit.secret().getBytes(StandardCharsets.UTF_8)) >= 0;
    }

    /** Bytes of HEAD's files kept while checking presence. */
    private static final long HEAD_CACHE_BYTES = 128L << 20;

    private byte[] headBlob(ObjectReader reader, ObjectId headTree, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(reader, path, headTree)) {
            if (tw == null
                    || (tw.getFileMode(0) != FileMode.REGULAR_FILE && tw.getFileMode(0) != FileMode.EXECUTABLE_FILE)) {
                return new byte[0];
            }
            ObjectLoader loader = reader.open(tw.getObjectId(0), Constants.OBJ_BLOB);
            if (loader.getSize() > options.maxBlobSize()) {
                return new byte[0];
            }
            return loader.getCachedBytes((int) options.maxBlobSize());
        }
    }

    private static int indexOf(byte[] data, byte[] needle) {
        if (needle.length == 0) {
            return -1;
        }
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            if (data[i] != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static IllegalArgumentException broken(Path dir, Throwable e) {
        if (e instanceof MissingObjectException m) {
            return new IllegalArgumentException(dir + ": broken git repository: missing object "
                    + m.getObjectId().name());
        }
        String msg = e instanceof Exception ex
                ? FileScanner.describe(ex)
                : e.getClass().getSimpleName();
        return new IllegalArgumentException(dir + ": broken git repository: " + msg);
    }

    /**
     * The lines of {@code now} not present in {@code before}, as one text (ISO-8859-1 chars, one per
     * byte) with the original line number of each.
     */
    record AddedLines(String text, Engine.LineNumbers numbers) {
        boolean isEmpty() {
            return text.isEmpty();
        }

        static AddedLines of(byte[] before, byte[] now) {
            if (before == null) {
                return new AddedLines(new String(now, StandardCharsets.ISO_8859_1), null);
            }
            // Whole lines both versions start with, and end with, are not new: only the middle of
            // each is hashed and compared (an append or a local edit touches a few lines of a big
            // file). A line moved out of the common part into the middle counts as added again;
            // history reports each secret once, at its earliest commit, so that changes nothing.
            int min = Math.min(before.length, now.length);
            int prefix = Arrays.mismatch(before, now);
            if (prefix < 0) {
                prefix = min; // one is a prefix of the other
            }
            if (prefix < before.length || prefix < now.length) {
                // keep whole lines only: back up to the start of the line holding the first difference
                while (prefix > 0 && now[prefix - 1] != '\n') {
                    prefix--;
                }
            }
            int suffix = 0;
            int maxSuffix = min - prefix;
            while (suffix < maxSuffix && before[before.length - 1 - suffix] == now[now.length - 1 - suffix]) {
                suffix++;
            }
            // keep whole lines only: the common end must start at a line start in both versions
            while (suffix > 0 && !(lineStart(before, before.length - suffix) && lineStart(now, now.length - suffix))) {
                suffix--;
            }
            int beforeEnd = before.length - suffix;
            int nowEnd = now.length - suffix;
            LongSet old = new LongSet(Math.max(16, (beforeEnd - prefix) / 32));
            for (int s = prefix; s < beforeEnd; ) {
                int e = lineEnd(before, s, beforeEnd);
                old.add(hash(before, s, e));
                s = e + 1;
            }
            byte[] buf = new byte[Math.min(nowEnd - prefix, 1 << 16)];
            int len = 0;
            int[] numbers = new int[16];
            int count = 0;
            int lineNo = 0;
            for (int i = 0; i < prefix; i++) {
                if (now[i] == '\n') {
                    lineNo++;
                }
            }
            for (int s = prefix; s < nowEnd; ) {
                int e = lineEnd(now, s, nowEnd);
                lineNo++;
                if (!old.contains(hash(now, s, e))) {
                    int n = e - s;
                    if (len + n + 1 > buf.length) {
                        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n + 1));
                    }
                    System.arraycopy(now, s, buf, len, n);
                    len += n;
                    buf[len++] = '\n';
                    if (count == numbers.length) {
                        numbers = Arrays.copyOf(numbers, count * 2);
                    }
                    numbers[count++] = lineNo;
                }
                s = e + 1;
            }
            int[] nums = Arrays.copyOf(numbers, count);
            return new AddedLines(
                    new String(buf, 0, len, StandardCharsets.ISO_8859_1),
                    i -> i < nums.length ? nums[i] : nums.length == 0 ? 1 : nums[nums.length - 1]);
        }

        private static boolean lineStart(byte[] b, int i) {
            return i == 0 || b[i - 1] == '\n';
        }

        private static int lineEnd(byte[] b, int s, int end) {
            for (int i = s; i < end; i++) {
                if (b[i] == '\n') {
                    return i;
                }
            }
            return end;
        }

        /** FNV-1a 64 of a line, ignoring a trailing CR. */
        private static long hash(byte[] b, int s, int e) {
            if (e > s && b[e - 1] == '\r') {
                e--;
            }
            long h = 0xcbf29ce484222325L;
            for (int i = s; i < e; i++) {
                h ^= b[i] & 0xff;
                h *= 0x100000001b3L;
            }
            return h == 0 ? 1 : h;
        }
    }

    /** An open-addressing set of non-zero longs. */
    static final class LongSet {
        private long[] table;
        private int size;

        LongSet(int expected) {
            int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
            table = new long[cap];
        }

        void add(long v) {
            if (size * 2 >= table.length) {
                long[] old = table;
                table = new long[old.length * 2];
                size = 0;
                for (long x : old) {
                    if (x != 0) {
                        add(x);
                    }
                }
            }
            int mask = table.length - 1;
            int i = (int) (v ^ (v >>> 32)) & mask;
            while (table[i] != 0) {
                if (table[i] == v) {
                    return;
                }
                i = (i + 1) & mask;
            }
            table[i] = v;
            size++;
        }

        boolean contains(long v) {
            int mask = table.length - 1;
            int i = (int) (v ^ (v >>> 32)) & mask;
            while (table[i] != 0) {
                if (table[i] == v) {
                    return true;
                }
                i = (i + 1) & mask;
            }
            return false;
        }
    }
}
