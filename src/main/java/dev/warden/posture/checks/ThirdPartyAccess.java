package dev.warden.posture.checks;

import dev.warden.inventory.Effect;
import dev.warden.inventory.Trust;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NHI3: a third party may act as this identity. An AWS role whose trust policy lets another account
 * (not this one, not one of {@code nhi3.trustedAccounts}) or anyone ({@code *}) assume it, judged by
 * what the role may do: admin critical, wildcard or write high, read medium, nothing low; one level
 * more when the trust does not require {@code sts:ExternalId} (the confused-deputy guard vendors
 * document). A principal of {@code *} is critical. An identity tagged with a third-party vendor and
 * no such trust is reported when it may write (high for admin, else medium).
 */
final class ThirdPartyAccess extends BaseCheck {
    private static final Pattern ACCOUNT = Pattern.compile("^(?:arn:aws[a-z-]*:(?:iam|sts)::)?(\\d{12})(?::.*)?$");

    ThirdPartyAccess() {
        super(
                "nhi3-third-party-access",
                Risk.NHI3,
                List.of("GV.SC-07", "PR.AA-05"),
                "A third party can act as this identity, with the access it grants",
                "Review the vendor integration: narrow the role to what the vendor documents it needs (read-only"
                        + " where possible), require sts:ExternalId on the trust, and record an owner and a review"
                        + " date.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        if (s.trusts().isEmpty() && s.identity().thirdPartyVendor() == null) {
            return;
        }
        Privileges.Breadth breadth = Privileges.breadth(s);
        List<String> grants = Privileges.widest(s, 5);
        boolean found = false;
        for (Trust t : s.trusts()) {
            if (t.effect() != Effect.ALLOW) {
                continue;
            }
            String type = t.principalType().toLowerCase(Locale.ROOT);
            if (type.equals("*") || t.principal().equals("*")) {
                found = true;
                out.accept(Detection.of(Severity.CRITICAL, "anyone may assume this role (principal *)")
                        .key("*")
                        .fact("principal", "*")
                        .fact("action", t.action())
                        .fact("condition", t.condition())
                        .fact("access", breadth.value())
                        .fact("grants", grants)
                        .build());
                continue;
            }
            if (!type.equals("aws")) {
                continue;
            }
            Matcher m = ACCOUNT.matcher(t.principal());
            if (!m.matches()) {
                continue;
            }
            String account = m.group(1);
            if (account.equals(s.identity().source().scope())
                    || s.policy().trustedAccounts().contains(account)) {
                continue;
            }
            found = true;
            boolean externalId =
                    Conditions.parse(t.condition()).stream().anyMatch(c -> c.positive() && c.keyIs("sts:ExternalId"));
            Severity severity = switch (breadth) {
                case ADMIN -> Severity.CRITICAL;
                case WILDCARD, WRITE -> Severity.HIGH;
                case READ -> Severity.MEDIUM;
                case NONE -> Severity.LOW;
            };
            if (!externalId) {
                severity = severity.raised();
            }
            String vendor = s.identity().thirdPartyVendor();
            out.accept(Detection.of(
                            severity,
                            "account " + account + (vendor != null ? " (" + vendor + ")" : "") + " may assume this role"
                                    + " with " + breadth.value() + " access"
                                    + (externalId ? "" : ", without sts:ExternalId"))
                    .key(t.principal())
                    .fact("principal", t.principal())
                    .fact("principalAccount", account)
                    .fact("roleAccount", s.identity().source().scope())
                    .fact("vendor", vendor)
                    .fact("externalIdRequired", externalId)
                    .fact("access", breadth.value())
                    .fact("grants", grants)
                    .build());
        }
        String vendor = s.identity().thirdPartyVendor();
        if (!found && vendor != null && breadth.ordinal() >= Privileges.Breadth.WRITE.ordinal()) {
            out.accept(Detection.of(
                            breadth == Privileges.Breadth.ADMIN ? Severity.HIGH : Severity.MEDIUM,
                            "third-party " + vendor + " integration with " + breadth.value() + " access")
                    .key("vendor")
                    .fact("vendor", vendor)
                    .fact("access", breadth.value())
                    .fact("grants", grants)
                    .build());
        }
    }
}
