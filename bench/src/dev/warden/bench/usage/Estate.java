package dev.warden.bench.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The machine identities of a synthetic AWS organisation and how each behaves: which APIs it
 * calls, from which addresses, with which SDKs, how busy it is. Three accounts; per account
 * workload roles (some with paths), CI roles trusted by GitHub OIDC, IAM machine users with access
 * keys, service-linked roles, AWS services, people through IAM Identity Center, rare root and
 * cross-account callers. Popularity follows a Zipf law, as real traffic does: a few identities make
 * most calls.
 */
final class Estate {
    static final String[] ACCOUNTS = {"111122223333", "444455556666", "777788889999"};
    static final String[] REGIONS = {"eu-west-1", "us-east-1", "eu-central-1"};

    enum Kind {
        WORKLOAD_ROLE(0.58),
        CI_ROLE(0.07),
        MACHINE_USER(0.15),
        SERVICE_LINKED_ROLE(0.08),
        AWS_SERVICE(0.09),
        PERSON_SSO(0.025),
        CROSS_ACCOUNT(0.004),
        FEDERATED_USER(0.0009),
        ROOT(0.0001);

        final double share;

        Kind(double share) {
            this.share = share;
        }
    }

    /** One caller. {@code apis} index {@link Apis#ALL}; ips and agents are its usual sources. */
    record Caller(
            Kind kind,
            String account,
            String name,
            String arn,
            String issuerArn,
            String principalId,
            String[] keys,
            String invokedBy,
            int[] apis,
            String[] ips,
            String[] agents) {}

    final List<List<Caller>> byKind = new ArrayList<>();
    final double[][] popularity;
    private final double[] kindCumulative;

    Estate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Kind k : Kind.values()) {
            List<Caller> callers = new ArrayList<>();
            for (String account : ACCOUNTS) {
                int n = switch (k) {
                    case WORKLOAD_ROLE -> 700;
                    case CI_ROLE -> 40;
                    case MACHINE_USER -> 160;
                    case SERVICE_LINKED_ROLE -> 25;
                    case AWS_SERVICE -> Apis.SERVICES.length;
                    case PERSON_SSO -> 60;
                    case CROSS_ACCOUNT -> 8;
                    case FEDERATED_USER -> 3;
                    case ROOT -> 1;
                };
                for (int i = 0; i < n; i++) {
                    callers.add(caller(k, account, i, r));
                }
            }
            byKind.add(callers);
        }
        popularity = new double[byKind.size()][];
        for (int k = 0; k < byKind.size(); k++) {
            popularity[k] = zipf(byKind.get(k).size(), 1.1);
        }
        kindCumulative = new double[Kind.values().length];
        double sum = 0;
        for (Kind k : Kind.values()) {
            sum += k.share;
        }
        double acc = 0;
        for (int i = 0; i < Kind.values().length; i++) {
            acc += Kind.values()[i].share / sum;
            kindCumulative[i] = acc;
        }
    }

    Caller pick(SplittableRandom r) {
        int k = search(kindCumulative, r.nextDouble());
        List<Caller> callers = byKind.get(k);
        return callers.get(search(popularity[k], r.nextDouble()));
    }

    static int search(double[] cumulative, double x) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[] zipf(int n, double s) {
        double[] c = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1, s);
            c[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            c[i] /= sum;
        }
        return c;
    }

    private static Caller caller(Kind k, String account, int i, SplittableRandom r) {
        String iam = "arn:aws:iam::" + account + ":";
        String id = String.format("%s%04d", account.substring(8), i);
        switch (k) {
            case WORKLOAD_ROLE -> {
                String team = Names.TEAMS[i % Names.TEAMS.length];
                String name = team + "-" + Names.APPS[(i / Names.TEAMS.length) % Names.APPS.length]
                        + (i >= 250 ? "-" + i : "");
                String path = i % 5 == 0 ? "service/" + team + "/" : "";
                return new Caller(
                        k,
                        account,
                        name,
                        iam + "role/" + path + name,
                        iam + "role/" + path + name,
                        "AROA" + Names.upper(r, 13) + id,
                        sessionKeys(r, 6),
                        null,
                        Apis.workload(r),
                        Names.privateIps(r, 1 + r.nextInt(6)),
                        Names.sdkAgents(r, 1 + r.nextInt(2)));
            }
            case CI_ROLE -> {
                String name =
                        "github-deploy-" + Names.APPS[i % Names.APPS.length] + (i >= Names.APPS.length ? "-" + i : "");
                return new Caller(
                        k,
                        account,
                        name,
                        iam + "role/ci/" + name,
                        iam + "role/ci/" + name,
                        "AROA" + Names.upper(r, 13) + id,
                        sessionKeys(r, 20),
                        null,
                        Apis.deploy(r),
                        Names.publicIps(r, 30),
                        Names.ciAgents(r));
            }
            case MACHINE_USER -> {
                String name = "svc-" + Names.APPS[i % Names.APPS.length] + "-" + i;
                String path = i % 3 == 0 ? "automation/" : "";
                String[] keys = {"AKIA" + Names.upper(r, 12) + id, "AKIA" + Names.upper(r, 12) + id};
                return new Caller(
                        k,
                        account,
                        name,
                        iam + "user/" + path + name,
                        null,
                        "AIDA" + Names.upper(r, 13) + id,
                        i % 4 == 0 ? keys : new String[] {keys[0]},
                        null,
                        Apis.workload(r),
                        i % 7 == 0 ? Names.publicIps(r, 3) : Names.privateIps(r, 1 + r.nextInt(3)),
                        Names.sdkAgents(r, 1 + r.nextInt(3)));
            }
            case SERVICE_LINKED_ROLE -> {
                String service = Apis.SERVICES[i % Apis.SERVICES.length];
                String name = "AWSServiceRoleFor" + Names.capital(service.substring(0, service.indexOf('.')))
                        + (i >= Apis.SERVICES.length ? "_" + i : "");
                String arn = iam + "role/aws-service-role/" + service + "/" + name;
                return new Caller(
                        k,
                        account,
                        name,
                        arn,
                        arn,
                        "AROA" + Names.upper(r, 13) + id,
                        new String[0],
                        service,
                        Apis.describe(r),
                        new String[] {service},
                        new String[] {service});
            }
            case AWS_SERVICE -> {
                String service = Apis.SERVICES[i];
                return new Caller(
                        k,
                        account,
                        service,
                        null,
                        null,
                        null,
                        new String[0],
                        service,
                        Apis.describe(r),
                        new String[] {service},
                        new String[] {service});
            }
            case PERSON_SSO -> {
                String role = "AWSReservedSSO_" + (i % 3 == 0 ? "AdministratorAccess" : "ReadOnlyAccess")
                        + "_0123456789abcdef";
                String arn = iam + "role/aws-reserved/sso.amazonaws.com/eu-west-1/" + role;
                return new Caller(
                        k,
                        account,
                        Names.PEOPLE[i % Names.PEOPLE.length] + "@example.com",
                        arn,
                        arn,
                        "AROA" + Names.upper(r, 13) + id,
                        sessionKeys(r, 10),
                        null,
                        Apis.console(r),
                        Names.publicIps(r, 2),
                        Names.browsers(r));
            }
            case CROSS_ACCOUNT -> {
                return new Caller(
                        k,
                        "210987654" + String.format("%03d", i),
                        "partner-" + i,
                        null,
                        null,
                        "AROA" + Names.upper(r, 13) + id + ":etl",
                        new String[0],
                        null,
                        Apis.data(r),
                        Names.publicIps(r, 2),
                        Names.sdkAgents(r, 1));
            }
            case FEDERATED_USER -> {
                String issuer = iam + "user/legacy-broker-" + i;
                return new Caller(
                        k,
                        account,
                        "partner-sync-" + i,
                        "arn:aws:sts::" + account + ":federated-user/partner-sync-" + i,
                        issuer,
                        account + ":partner-sync-" + i,
                        sessionKeys(r, 4),
                        null,
                        Apis.data(r),
                        Names.publicIps(r, 2),
                        Names.sdkAgents(r, 1));
            }
            default -> {
                return new Caller(
                        k,
                        account,
                        "root",
                        iam + "root",
                        null,
                        account,
                        sessionKeys(r, 2),
                        null,
                        Apis.console(r),
                        Names.publicIps(r, 1),
                        Names.browsers(r));
            }
        }
    }

    private static String[] sessionKeys(SplittableRandom r, int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "ASIA" + Names.upper(r, 16);
        }
        return keys;
    }
}
