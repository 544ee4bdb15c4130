package dev.warden.bench.scan;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A git repository of {@code commits} commits built with {@code git fast-import}: files of the
 * corpus languages grow, change and lose lines; planted secrets are added (the ground truth is the
 * commit, path and line that introduced each) and some are deleted again; a few commits land on
 * feature branches only.
 */
final class History {
    /** One planted secret: introduced by {@code commit} at {@code path}:{@code line}. */
    record Truth(String commit, String path, int line, String kind) {}

    private History() {}

    static List<Truth> build(Path repo, int commits, long seed) throws IOException, InterruptedException {
        Files.createDirectories(repo);
        run(repo, "git", "init", "-q", "-b", "main", ".");
        Corpus corpus = new Corpus(seed);
        Random r = new Random(seed + 1);
        Map<String, List<String>> files = new LinkedHashMap<>();
        Map<String, Corpus.Lang> langOf = new HashMap<>();
        List<Object[]> pending = new ArrayList<>(); // mark, path, line, kind
        Path marks = repo.resolve(".git/bench-marks");
        Process p = new ProcessBuilder("git", "fast-import", "--quiet", "--export-marks=" + marks)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 1 << 20)) {
            long time = 1_700_000_000L;
            String mainTip = null;
            for (int c = 1; c <= commits; c++) {
                boolean feature = c > 10 && r.nextInt(20) == 0;
                String branch = feature ? "refs/heads/feature/f" + c : "refs/heads/main";
                StringBuilder body = new StringBuilder();
                int changes = 1 + r.nextInt(3);
                List<String> touched = new ArrayList<>();
                for (int k = 0; k < changes; k++) {
                    String path;
                    if (files.isEmpty() || r.nextInt(4) == 0) {
                        Corpus.Lang lang =
                                corpus.langs().get(r.nextInt(corpus.langs().size()));
                        path = lang.dir() + "/" + corpus.secrets().word() + c + "_" + k + "." + lang.ext();
                        files.put(path, new ArrayList<>());
                        langOf.put(path, lang);
                    } else {
                        List<String> keys = new ArrayList<>(files.keySet());
                        path = keys.get(r.nextInt(keys.size()));
                    }
                    if (touched.contains(path)) {
                        continue;
                    }
                    touched.add(path);
                    List<String> lines = files.get(path);
                    if (!lines.isEmpty() && r.nextInt(5) == 0) {
                        lines.remove(r.nextInt(lines.size())); // a deletion (maybe of a secret)
                    }
                    List<Corpus.Truth> planted = new ArrayList<>();
                    List<String> added =
                            corpus.lines(langOf.get(path), 600 + r.nextInt(1800), 0.01, path, planted, lines.size());
                    lines.addAll(added);
                    for (Corpus.Truth t : planted) {
                        pending.add(new Object[] {c, t.path(), t.line(), t.kind()});
                    }
                    byte[] data = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
                    body.append("M 100644 inline ").append(path).append('\n');
                    body.append("data ").append(data.length).append('\n');
                    body.append(new String(data, StandardCharsets.UTF_8)).append('\n');
                }
                time += 60 + r.nextInt(3600);
                StringBuilder cmd = new StringBuilder();
                cmd.append("commit ").append(branch).append('\n');
                cmd.append("mark :").append(c).append('\n');
                cmd.append("author Dev ")
                        .append(c % 7)
                        .append(" <dev")
                        .append(c % 7)
                        .append("@example.org> ")
                        .append(time)
                        .append(" +0000\n");
                cmd.append("committer CI <ci@example.org> ").append(time).append(" +0000\n");
                byte[] msg = ("change " + c + "\n").getBytes(StandardCharsets.UTF_8);
                cmd.append("data ")
                        .append(msg.length)
                        .append('\n')
                        .append("change ")
                        .append(c)
                        .append("\n\n");
                if (mainTip != null) {
                    cmd.append("from ").append(mainTip).append('\n');
                }
                out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
                out.write(body.toString().getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                if (!feature) {
                    mainTip = ":" + c;
                } else {
                    // a feature branch's files are not on main: forget what it added
                    for (String t : touched) {
                        files.remove(t);
                    }
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IOException("git fast-import failed");
        }
        run(repo, "git", "reset", "-q", "--hard", "main");
        Map<Integer, String> shas = new HashMap<>();
        for (String line : Files.readAllLines(marks)) {
            String[] parts = line.split(" ");
            shas.put(Integer.parseInt(parts[0].substring(1)), parts[1]);
        }
        List<Truth> truths = new ArrayList<>();
        for (Object[] t : pending) {
            truths.add(new Truth(shas.get((Integer) t[0]), (String) t[1], (Integer) t[2], (String) t[3]));
        }
        return truths;
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
    }
}
