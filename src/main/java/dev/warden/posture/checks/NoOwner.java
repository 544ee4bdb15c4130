package dev.warden.posture.checks;

import dev.warden.inventory.Identity;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI1: nobody answers for the identity — no business or technical owner, or only placeholder
 * values ({@code unknown}, {@code tbd}, ... from the policy). High in production, else medium.
 * AWS service-linked roles are owned by AWS and skipped.
 */
final class NoOwner extends BaseCheck {
    NoOwner() {
        super(
                "nhi1-no-owner",
                Risk.NHI1,
                List.of("PR.AA-01", "ID.AM-08"),
                "Identity has no owner, or only a placeholder owner",
                "Record a business and a technical owner at the source (tag, label, CODEOWNERS, role comment) so"
                        + " that someone answers for this identity; disable it if nobody claims it.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        if (s.flag("serviceLinked")) {
            return;
        }
        Identity i = s.identity();
        boolean business = i.businessOwner() != null && !s.policy().isPlaceholderOwner(i.businessOwner());
        boolean technical = i.technicalOwner() != null && !s.policy().isPlaceholderOwner(i.technicalOwner());
        if (business || technical) {
            return;
        }
        boolean placeholder = i.businessOwner() != null || i.technicalOwner() != null;
        String summary = placeholder
                ? "owner is a placeholder ('" + (i.businessOwner() != null ? i.businessOwner() : i.technicalOwner())
                        + "')"
                : "no owner recorded";
        out.accept(Detection.of(s.production() ? Severity.HIGH : Severity.MEDIUM, summary)
                .fact("businessOwner", i.businessOwner())
                .fact("technicalOwner", i.technicalOwner())
                .fact("placeholder", placeholder)
                .fact("ownershipProvenance", i.ownershipProvenance())
                .fact("environment", i.environment())
                .fact("production", s.production())
                .build());
    }
}
