package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.SharedCredential;
import dev.warden.posture.Subject;
import dev.warden.usage.UsageSummary;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NHI9: one credential held by identities of more distinct workloads than
 * {@code nhi9.maxWorkloadsPerCredential} (an identity without a workload counts as its own). Several
 * workflows of one repository sharing a repository secret are one workload and stay silent. Medium.
 *
 * <p>Also (key {@code networks}): one credential used from at least {@code nhi9.minNetworks}
 * distinct networks (IPv4 /24, IPv6 /64; service names such as {@code lambda.amazonaws.com} are no
 * network) with at least two user-agent families (the first product token, S3's brackets
 * stripped) within {@code nhi9.windowDays}. Read from the identity's usage aggregates (source
 * addresses and user agents with their last-seen day): the credential is the one key the logs
 * show in the window, else the identity's. Medium, with the networks and families as evidence.
 */
final class SharedCredentialReuse extends BaseCheck {
    SharedCredentialReuse() {
        super(
                "nhi9-shared-credential",
                Risk.NHI9,
                List.of("PR.AA-01", "DE.CM-03"),
                "One credential used by several workloads",
                "Give each workload its own credential (or identity), so that one can be rotated or revoked"
                        + " without the others and usage shows who did what.");
    }

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:]*");

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        networks(s, out);
        for (SharedCredential shared : s.shared()) {
            Set<String> workloads = new TreeSet<>();
            shared.holders().forEach(h -> workloads.add(h.workload() != null ? h.workload() : "identity " + h.name()));
            if (workloads.size() <= s.policy().maxWorkloadsPerCredential()) {
                continue;
            }
            out.accept(Detection.of(Severity.MEDIUM, "credential shared by " + workloads.size() + " workloads")
                    .credentialId(shared.credentialId())
                    .fact("shared", shared.key())
                    .fact("workloads", List.copyOf(workloads))
                    .fact("holders", (long) shared.holders().size())
                    .fact("maxWorkloadsPerCredential", s.policy().maxWorkloadsPerCredential())
                    .build());
        }
    }

    private void networks(Subject s, Consumer<Detection> out) {
        UsageSummary u = s.usage();
        if (u == null) {
            return;
        }
        Instant start = s.asOf().minus(Duration.ofDays(s.policy().networksWindowDays()));
        Set<String> nets = new TreeSet<>();
        u.sourceIps().stream()
                .filter(c -> !c.last().isBefore(start))
                .map(c -> network(c.value()))
                .filter(n -> n != null)
                .forEach(nets::add);
        Set<String> families = new TreeSet<>();
        u.userAgents().stream()
                .filter(c -> !c.last().isBefore(start))
                .map(c -> family(c.value()))
                .filter(f -> !f.isEmpty())
                .forEach(families::add);
        if (nets.size() < s.policy().minNetworks() || families.size() < 2) {
            return;
        }
        List<String> keys = u.credentials().stream()
                .filter(c -> !c.last().isBefore(start))
                .map(UsageSummary.Counted::value)
                .toList();
        String credentialId = null;
        if (keys.size() == 1) {
            credentialId = s.credentials().stream()
                    .filter(c -> keys.get(0).equals(c.externalId()))
                    .map(Credential::id)
                    .findFirst()
                    .orElse(null);
        }
        out.accept(Detection.of(
                        Severity.MEDIUM,
                        "credential used from " + nets.size() + " networks with " + families.size()
                                + " user-agent families in " + s.policy().networksWindowDays() + " days")
                .key("networks")
                .credentialId(credentialId)
                .fact("credential", keys.size() == 1 ? keys.get(0) : null)
                .fact("networks", nets.stream().limit(20).toList())
                .fact("userAgentFamilies", families.stream().limit(20).toList())
                .fact("minNetworks", s.policy().minNetworks())
                .fact("windowDays", s.policy().networksWindowDays())
                .build());
    }

    /** {@code A.B.C.0/24} or the first four groups of an IPv6 address {@code /64}; null for a name. */
    static String network(String address) {
        if (address == null) {
            return null;
        }
        Matcher m = IPV4.matcher(address.strip());
        if (m.matches()) {
            return m.group(1) + "." + m.group(2) + "." + m.group(3) + ".0/24";
        }
        if (IPV6.matcher(address.strip()).matches()) {
            try {
                byte[] b = InetAddress.getByName(address.strip()).getAddress();
                if (b.length != 16) {
                    return null;
                }
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)))
                            .append(':');
                }
                return sb.append(":/64").toString();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    /** The first product token of a user agent ({@code aws-cli}, {@code Boto3}, {@code Mozilla}, ...). */
    static String family(String userAgent) {
        String ua = userAgent == null ? "" : userAgent.strip();
        if (ua.startsWith("[") && ua.endsWith("]")) {
            ua = ua.substring(1, ua.length() - 1).strip();
        }
        int end = 0;
        while (end < ua.length() && " /;(".indexOf(ua.charAt(end)) < 0) {
            end++;
        }
        return ua.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
