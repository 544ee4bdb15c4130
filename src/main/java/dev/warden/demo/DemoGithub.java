package dev.warden.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Repository checkouts (a {@code .git/config} naming the origin, and {@code .github/workflows/})
 * whose deploy workflows reach AWS: most by OIDC federation, some with long-lived keys in secrets.
 */
final class DemoGithub {
    static final String[] REPOS = {
        "checkout-api",
        "ledger",
        "infra",
        "web",
        "data-pipelines",
        "mobile-app",
        "search",
        "terraform-modules",
        "reporting",
        "notifications"
    };

    private final DemoWorld w;

    DemoGithub(DemoWorld w) {
        this.w = w;
    }

    void write(Path dir) throws IOException {
        for (String repo : REPOS) {
            Path root = Files.createDirectories(dir.resolve(repo));
            Path git = Files.createDirectories(root.resolve(".git"));
            Files.writeString(
                    git.resolve("config"),
                    "[core]\n\trepositoryformatversion = 0\n[remote \"origin\"]\n\turl = git@github.com:acme/" + repo
                            + ".git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n");
            Path workflows = Files.createDirectories(root.resolve(".github/workflows"));
            Files.writeString(
                    workflows.resolve("deploy.yml"), w.random.nextInt(3) == 0 ? staticKeys(repo) : oidc(repo));
            Files.writeString(workflows.resolve("test.yml"), """
                    name: test
                    on: [pull_request]
                    jobs:
                      test:
                        runs-on: ubuntu-latest
                        steps:
                          - uses: actions/checkout@v4
                          - run: make test
                    """);
        }
    }

    private static String oidc(String repo) {
        return """
                name: deploy
                on:
                  push:
                    branches: [main]
                permissions:
                  id-token: write
                  contents: read
                jobs:
                  deploy:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v4
                      - uses: aws-actions/configure-aws-credentials@v4
                        with:
                          role-to-assume: arn:aws:iam::111122223333:role/github-deploy
                          aws-region: eu-west-1
                      - run: ./deploy.sh %s
                """.formatted(repo);
    }

    private static String staticKeys(String repo) {
        return """
                name: deploy
                on:
                  push:
                    branches: [main]
                jobs:
                  deploy:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v4
                      - uses: aws-actions/configure-aws-credentials@v4
                        with:
                          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
                          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
                          aws-region: eu-west-1
                      - run: ./deploy.sh %s
                """.formatted(repo);
    }
}
