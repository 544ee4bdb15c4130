package dev.warden.discovery.github;

import dev.warden.input.Input;
import dev.warden.input.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One repository's workflows as an input gives them: a checkout (its {@code .github/workflows/}),
 * that directory itself, one workflow file, or one workflow received as content. The repository is
 * named {@code OWNER/REPO} from the {@code origin} remote in {@code .git/config} (worktrees and
 * submodules, whose {@code .git} is a file, included), else by its directory name; a workflow
 * given alone, outside a {@code .github/workflows} directory, belongs to {@code local}.
 * {@code whole} says the input held every workflow of the repository (a directory), so the
 * import may declare coverage for it.
 */
record Repository(String slug, List<Input> workflows, boolean whole, CodeOwners codeOwners, Path folder) {
    Repository(String slug, List<Input> workflows, boolean whole, CodeOwners codeOwners) {
        this(slug, workflows, whole, codeOwners, null);
    }

    /** GitHub runs at most this many workflow files per repository; more is not a checkout. */
    static final int MAX_WORKFLOWS = 1_000;
    /** Largest workflow file read. */
    static final long MAX_WORKFLOW_BYTES = 1024 * 1024;

    private static final Pattern SCP = Pattern.compile("(?:[^@/:]+@)?[^@/:]+:[^/].*");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /** The repository an input names. */
    static Repository of(Input in) {
        if (in.isUrl()) {
            throw new InputException(
                    in.name() + ": this source reads a repository checkout or workflow files, not URLs");
        }
        if (in.isContent()) {
            return new Repository(contentSlug(in.name()), List.of(in), false, CodeOwners.NONE);
        }
        Path p = in.path().toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new InputException(in.name() + ": no such file or directory");
        }
        if (Files.isRegularFile(p)) {
            if (!isWorkflowsDir(p.getParent())) {
                return new Repository("local", List.of(in), false, CodeOwners.NONE);
            }
            Path root = p.getParent().getParent().getParent();
            return new Repository(slug(root), List.of(in), false, CodeOwners.of(root));
        }
        Path workflows;
        Path root;
        if (Files.isDirectory(p.resolve(".github").resolve("workflows"))) {
            root = p;
            workflows = in.path().resolve(".github").resolve("workflows");
        } else if (isWorkflowsDir(p)) {
            root = p.getParent().getParent();
            workflows = in.path();
        } else if (Files.exists(p.resolve(".git"))) {
            return new Repository(slug(p), List.of(), true, CodeOwners.of(p));
        } else {
            // any folder of workflow files (research §5): every *.yml/*.yaml under it; not known to
            // be all of one repository's workflows, so no coverage
            List<Input> found = walk(in, p);
            if (found.isEmpty()) {
                throw new InputException(in.name() + ": neither a repository checkout (no .git or .github/workflows),"
                        + " a .github/workflows directory, nor a folder holding *.yml/*.yaml workflow files");
            }
            return new Repository(slug(p), found, false, CodeOwners.NONE, p);
        }
        return new Repository(slug(root), list(in, workflows), true, CodeOwners.of(root));
    }

    /** {@code OWNER}, or empty when the repository has no owner known. */
    String owner() {
        int slash = slug.indexOf('/');
        return slash < 0 ? "" : slug.substring(0, slash);
    }

    private static boolean isWorkflowsDir(Path p) {
        return p != null
                && p.getFileName() != null
                && p.getFileName().toString().equals("workflows")
                && p.getParent() != null
                && p.getParent().getFileName() != null
                && p.getParent().getFileName().toString().equals(".github")
                && p.getParent().getParent() != null;
    }

    /** The workflow files GitHub runs: {@code *.yml} and {@code *.yaml} directly in the directory. */
    private static List<Input> list(Input in, Path dir) {
        List<Input> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!(n.endsWith(".yml") || n.endsWith(".yaml"))
                        || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (out.size() == MAX_WORKFLOWS) {
                    throw new InputException(in.name() + ": more than " + MAX_WORKFLOWS + " workflow files");
                }
                if (Files.size(f) > MAX_WORKFLOW_BYTES) {
                    throw new InputException(f + ": larger than " + MAX_WORKFLOW_BYTES / 1024 + " KiB; not a workflow");
                }
                out.add(Input.path(f));
            }
        } catch (IOException e) {
            throw new InputException(in.name() + ": cannot read " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The workflow path of a file: {@code .github/workflows/FILE}, or its path under a plain folder. */
    String pathOf(Input file, String fileName) {
        if (folder != null && file.isPath()) {
            return folder.relativize(file.path().toAbsolutePath().normalize())
                    .toString()
                    .replace('\\', '/');
        }
        return ".github/workflows/" + fileName;
    }

    /** {@code *.yml} / {@code *.yaml} anywhere under a plain folder, {@code .git} left out, symlinks not followed. */
    private static List<Input> walk(Input in, Path dir) {
        List<Input> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, 8)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!(n.endsWith(".yml") || n.endsWith(".yaml"))
                        || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                        || dir.relativize(f).toString().replace('\\', '/').matches("(.*/)?\\.git/.*")) {
                    continue;
                }
                if (out.size() == MAX_WORKFLOWS) {
                    throw new InputException(in.name() + ": more than " + MAX_WORKFLOWS + " YAML files");
                }
                if (Files.size(f) > MAX_WORKFLOW_BYTES) {
                    throw new InputException(f + ": larger than " + MAX_WORKFLOW_BYTES / 1024 + " KiB; not a workflow");
                }
                out.add(Input.path(f));
            }
        } catch (IOException e) {
            throw new InputException(in.name() + ": cannot read " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** {@code OWNER/REPO} from the origin remote, else the directory name. */
    static String slug(Path root) {
        String fromRemote = remote(root);
        if (fromRemote != null) {
            return fromRemote;
        }
        String dir =
                root.getFileName() == null ? "repository" : root.getFileName().toString();
        return SAFE.matcher(dir).matches() ? dir : "repository";
    }

    private static String remote(Path root) {
        Path config = gitConfig(root);
        if (config == null) {
            return null;
        }
        try {
            if (Files.size(config) > MAX_WORKFLOW_BYTES) {
                return null;
            }
            List<String> lines = Files.readAllLines(config, StandardCharsets.UTF_8);
            String origin = null;
            String first = null;
            String section = "";
            for (String raw : lines) {
                String line = raw.strip();
                if (line.startsWith("[")) {
                    section = line.replaceAll("\\s+", " ");
                    continue;
                }
                if (!section.startsWith("[remote ") || !line.matches("(?i)url\\s*=.*")) {
                    continue;
                }
                String url = line.substring(line.indexOf('=') + 1).strip();
                if (section.equals("[remote \"origin\"]") && origin == null) {
                    origin = url;
                } else if (first == null) {
                    first = url;
                }
            }
            return slugOf(origin != null ? origin : first);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code OWNER/REPO} of a remote URL ({@code https://host/OWNER/REPO.git},
     * {@code ssh://git@host/OWNER/REPO}, {@code git@host:OWNER/REPO.git}); null for a local path.
     * Only the path is read: credentials in the URL are never kept.
     */
    static String slugOf(String url) {
        if (url == null) {
            return null;
        }
        String u = url.strip();
        String path;
        int scheme = u.indexOf("://");
        if (scheme > 0) {
            int slash = u.indexOf('/', scheme + 3);
            path = slash < 0 ? "" : u.substring(slash + 1);
        } else if (SCP.matcher(u).matches()) {
            path = u.substring(u.indexOf(':') + 1);
        } else {
            return null;
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        String[] parts = path.split("/", -1);
        if (parts.length < 2) {
            return null;
        }
        String owner = parts[parts.length - 2];
        String repo = parts[parts.length - 1];
        return SAFE.matcher(owner).matches() && SAFE.matcher(repo).matches() ? owner + "/" + repo : null;
    }

    private static Path gitConfig(Path root) {
        Path git = root.resolve(".git");
        try {
            if (Files.isDirectory(git, LinkOption.NOFOLLOW_LINKS)) {
                return existing(git.resolve("config"));
            }
            if (Files.isRegularFile(git, LinkOption.NOFOLLOW_LINKS) && Files.size(git) < 4096) {
                String text = Files.readString(git, StandardCharsets.UTF_8).strip();
                if (!text.startsWith("gitdir:")) {
                    return null;
                }
                Path dir =
                        root.resolve(text.substring("gitdir:".length()).strip()).normalize();
                Path common = dir.resolve("commondir");
                if (Files.isRegularFile(common) && Files.size(common) < 4096) {
                    dir = dir.resolve(Files.readString(common, StandardCharsets.UTF_8)
                                    .strip())
                            .normalize();
                }
                return existing(dir.resolve("config"));
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static Path existing(Path p) {
        return Files.isRegularFile(p) ? p : null;
    }

    /** For content: {@code OWNER/REPO} if the name is a path inside a checkout, else {@code local}. */
    private static String contentSlug(String name) {
        String n = name.replace('\\', '/');
        int at = n.indexOf("/.github/workflows/");
        if (at > 0) {
            String[] parts = n.substring(0, at).split("/", -1);
            if (parts.length >= 2
                    && SAFE.matcher(parts[parts.length - 2]).matches()
                    && SAFE.matcher(parts[parts.length - 1]).matches()) {
                return parts[parts.length - 2] + "/" + parts[parts.length - 1];
            }
        }
        return "local";
    }
}
