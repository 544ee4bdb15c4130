package dev.warden.posture.checks;

import dev.warden.posture.Check;
import dev.warden.posture.Risk;
import java.util.List;

/** What every built-in check declares: id, risk, NIST subcategories, title and remediation. */
abstract class BaseCheck implements Check {
    private final String id;
    private final Risk risk;
    private final List<String> nist;
    private final String title;
    private final String remediation;

    BaseCheck(String id, Risk risk, List<String> nist, String title, String remediation) {
        this.id = id;
        this.risk = risk;
        this.nist = List.copyOf(nist);
        this.title = title;
        this.remediation = remediation;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Risk risk() {
        return risk;
    }

    @Override
    public final List<String> nist() {
        return nist;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final String remediation() {
        return remediation;
    }

    @Override
    public String toString() {
        return id;
    }
}
