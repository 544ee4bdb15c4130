package dev.warden.bench.usage;

import java.util.Locale;
import java.util.SplittableRandom;

/** Names, addresses and user agents as they appear in real CloudTrail records. */
final class Names {
    static final String[] TEAMS = {"payments", "orders", "search", "platform", "data", "identity", "mobile", "risk"};
    static final String[] APPS = {
        "api", "worker", "ingest", "scheduler", "exporter", "gateway", "indexer", "billing", "ledger", "notifier",
        "reports", "etl", "cache-warmer", "auth", "catalog", "pricing", "fraud", "inventory", "shipping", "emails"
    };
    static final String[] PEOPLE = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"};
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String[] JAVA = {"2.25.10", "2.25.60", "2.26.7", "1.12.720"};
    private static final String[] PYTHON = {"1.34.110", "1.34.144", "1.35.2"};
    private static final String[] GO = {"1.27.0", "1.30.3"};
    private static final String[] JS = {"3.577.0", "3.614.0"};
    private static final String[] CLI = {"2.15.30", "2.17.8"};
    private static final String[] KERNELS = {
        "5.10.219-208.866.amzn2.x86_64", "6.1.94-99.176.amzn2023.x86_64", "6.1.0-18-cloud-amd64"
    };

    private Names() {}

    static String upper(SplittableRandom r, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = UPPER.charAt(r.nextInt(UPPER.length()));
        }
        return new String(c);
    }

    static String capital(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    static String[] privateIps(SplittableRandom r, int n) {
        String[] ips = new String[n];
        for (int i = 0; i < n; i++) {
            ips[i] = "10." + r.nextInt(8, 40) + "." + r.nextInt(256) + "." + r.nextInt(1, 255);
        }
        return ips;
    }

    static String[] publicIps(SplittableRandom r, int n) {
        String[] nets = {"4.175.", "20.57.", "52.169.", "198.51.100.", "203.0.113.", "192.0.2."};
        String[] ips = new String[n];
        for (int i = 0; i < n; i++) {
            String net = nets[r.nextInt(nets.length)];
            ips[i] = net
                    + (net.chars().filter(c -> c == '.').count() == 3 ? "" : r.nextInt(256) + ".")
                    + r.nextInt(1, 255);
        }
        return ips;
    }

    static String[] sdkAgents(SplittableRandom r, int n) {
        String[] agents = new String[n];
        String kernel = KERNELS[r.nextInt(KERNELS.length)];
        for (int i = 0; i < n; i++) {
            agents[i] = switch (r.nextInt(5)) {
                case 0 ->
                    "aws-sdk-java/" + JAVA[r.nextInt(JAVA.length)] + " Linux/" + kernel
                            + " OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache"
                            + " cfg/retry-mode/legacy";
                case 1 -> {
                    String v = PYTHON[r.nextInt(PYTHON.length)];
                    yield "Boto3/" + v + " md/Botocore#" + v + " ua/2.0 os/linux#" + kernel
                            + " md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/"
                            + v;
                }
                case 2 ->
                    "aws-sdk-go-v2/" + GO[r.nextInt(GO.length)] + " os/linux lang/go#1.22.3 md/GOOS#linux"
                            + " md/GOARCH#amd64 api/s3#1.54.3";
                case 3 ->
                    "aws-sdk-js/" + JS[r.nextInt(JS.length)] + " ua/2.0 os/linux#" + kernel
                            + " lang/js md/nodejs#20.13.1 api/dynamodb#" + JS[0];
                default ->
                    "[aws-cli/" + CLI[r.nextInt(CLI.length)] + " md/awscrt#0.19.19 ua/2.0 os/linux#" + kernel
                            + " md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe"
                            + " md/distrib#amzn.2023 md/prompt#off md/command#s3.cp]";
            };
        }
        return agents;
    }

    static String[] ciAgents(SplittableRandom r) {
        return new String[] {
            "aws-sdk-js/" + JS[r.nextInt(JS.length)] + " ua/2.0 os/linux#6.5.0-1021-azure lang/js md/nodejs#20.13.1"
                    + " api/sts#3.577.0",
            "[aws-cli/" + CLI[r.nextInt(CLI.length)]
                    + " md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1021-azure md/arch#x86_64"
                    + " lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22"
                    + " md/prompt#off md/command#ecs.update-service]"
        };
    }

    static String[] browsers(SplittableRandom r) {
        return new String[] {
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0"
                    + " Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
            "AWS Internal"
        };
    }
}
