package dev.warden.posture.checks;

import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.posture.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How much an identity may do, from its entitlements, across sources: AWS IAM actions
 * ({@code s3:GetObject}), Kubernetes RBAC ({@code get pods}), PostgreSQL privileges
 * ({@code SELECT}, {@code SUPERUSER}) and generic scopes ({@code read}, {@code write},
 * {@code admin}). Deny entitlements grant nothing.
 */
final class Privileges {
    /** Breadth of access, narrowest first. */
    enum Breadth {
        NONE,
        READ,
        WRITE,
        WILDCARD,
        ADMIN;

        String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final List<String> AWS_READ_PREFIXES = List.of(
            "get", "list", "describe", "head", "scan", "query", "batchget", "view", "search", "lookup", "select");
    private static final Set<String> K8S_READ_VERBS = Set.of("get", "list", "watch");
    private static final Set<String> PG_READ = Set.of("SELECT", "CONNECT", "USAGE", "TEMPORARY", "REFERENCES");
    private static final Set<String> ESCALATING_SERVICES =
            Set.of("iam", "sts", "kms", "secretsmanager", "organizations");

    private Privileges() {}

    static boolean allows(Entitlement e) {
        return e.effect() == Effect.ALLOW;
    }

    /** The last subject measured on this thread: checks of one subject run one after the other. */
    private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

    /** The widest access any allow entitlement of the subject gives. */
    static Breadth breadth(Subject s) {
        Object[] last = LAST.get();
        if (last[0] == s.record()) {
            return (Breadth) last[1];
        }
        Breadth b = compute(s);
        last[0] = s.record();
        last[1] = b;
        return b;
    }

    private static Breadth compute(Subject s) {
        Breadth b = Breadth.NONE;
        for (Entitlement e : s.entitlements()) {
            if (allows(e)) {
                Breadth x = of(e, s.identity().source().type());
                if (x.ordinal() > b.ordinal()) {
                    b = x;
                }
            }
        }
        if (s.attribute("clusterAdmin") != null || s.flag("superuser")) {
            b = Breadth.ADMIN;
        }
        return b;
    }

    /** A few of the widest grants, for evidence. */
    static List<String> widest(Subject s, int max) {
        Breadth top = breadth(s);
        List<String> out = new ArrayList<>();
        for (Entitlement e : s.entitlements()) {
            if (allows(e) && of(e, s.identity().source().type()) == top && out.size() < max) {
                out.add(describe(e));
            }
        }
        return out;
    }

    static Breadth of(Entitlement e, String sourceType) {
        if (isAdmin(e)) {
            return Breadth.ADMIN;
        }
        String a = e.action();
        if (startsWithIgnoreCase(a, "policy:")) {
            return managedPolicy(a.toLowerCase(Locale.ROOT));
        }
        if (startsWithIgnoreCase(a, "notaction:")) {
            return Breadth.WILDCARD;
        }
        if (startsWithIgnoreCase(a, "unresolved ")) {
            return Breadth.WRITE;
        }
        switch (sourceType) {
            case "aws" -> {
                if (a.equals("*") || awsService(a) != null && awsAction(a).equals("*")) {
                    return Breadth.WILDCARD;
                }
                return awsReadOnly(a) ? Breadth.READ : Breadth.WRITE;
            }
            case "kubernetes" -> {
                String[] vr = k8s(a);
                if (vr == null) {
                    return Breadth.WRITE;
                }
                if (vr[0].equals("*") || vr[1].equals("*") || vr[1].equals("*/*")) {
                    return Breadth.WILDCARD;
                }
                return K8S_READ_VERBS.contains(vr[0]) ? Breadth.READ : Breadth.WRITE;
            }
            case "postgresql" -> {
                return PG_READ.contains(a.toUpperCase(Locale.ROOT)) ? Breadth.READ : Breadth.WRITE;
            }
            default -> {
                if (a.equals("*")) {
                    return Breadth.WILDCARD;
                }
                return a.equalsIgnoreCase("read")
                                || startsWithIgnoreCase(a, "read:")
                                || a.regionMatches(true, a.length() - 5, ":read", 0, 5)
                                || a.equalsIgnoreCase("get")
                        ? Breadth.READ
                        : Breadth.WRITE;
            }
        }
    }

    /** Admin: AWS AdministratorAccess (or {@code *} / {@code iam:*} on {@code *}), cluster-admin, SUPERUSER. */
    static boolean isAdmin(Entitlement e) {
        if (!allows(e)) {
            return false;
        }
        String via = e.grantedVia();
        String action = e.action();
        if (via != null
                && (endsWithIgnoreCase(via, ":policy/AdministratorAccess")
                        || via.contains("clusterrole/cluster-admin"))) {
            return true;
        }
        if (endsWithIgnoreCase(action, ":policy/AdministratorAccess")
                || action.equalsIgnoreCase("superuser")
                || action.equalsIgnoreCase("admin")) {
            return true;
        }
        boolean anyResource = e.resource().equals("*") || e.resource().equals("cluster");
        return anyResource && e.condition() == null && (action.equals("*") || action.equalsIgnoreCase("iam:*"))
                || action.equals("* */*") && e.resource().equals("cluster");
    }

    static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    static boolean endsWithIgnoreCase(String s, String suffix) {
        return s.length() >= suffix.length()
                && s.regionMatches(true, s.length() - suffix.length(), suffix, 0, suffix.length());
    }

    /** True for an action that is a read by its name ({@code s3:GetObject}, {@code logs:Get*}). */
    static boolean awsReadOnly(String action) {
        int colon = action.indexOf(':');
        int from = colon < 0 ? 0 : colon + 1;
        for (String p : AWS_READ_PREFIXES) {
            if (action.regionMatches(true, from, p, 0, p.length())) {
                return true;
            }
        }
        return false;
    }

    /** True for an AWS service whose wildcard lets its holder give itself more (iam:*, sts:*, kms:*, ...). */
    static boolean escalating(String action) {
        String svc = awsService(action);
        return svc != null && ESCALATING_SERVICES.contains(svc.toLowerCase(Locale.ROOT));
    }

    static String awsService(String action) {
        int colon = action.indexOf(':');
        return colon <= 0 ? null : action.substring(0, colon);
    }

    static String awsAction(String action) {
        int colon = action.indexOf(':');
        return colon < 0 ? action : action.substring(colon + 1);
    }

    /** {@code VERB RESOURCE} of a Kubernetes action, lower-case, or null when it is not one. */
    static String[] k8s(String action) {
        if (action.indexOf(':') >= 0) {
            return null;
        }
        String a = action.strip();
        int space = a.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        int from = space;
        while (from < a.length() && a.charAt(from) == ' ') {
            from++;
        }
        int end = a.indexOf(' ', from);
        String verb = a.substring(0, space);
        String resource = end < 0 ? a.substring(from) : a.substring(from, end);
        return new String[] {lowerAscii(verb), lowerAscii(resource)};
    }

    private static String lowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return s.toLowerCase(Locale.ROOT);
            }
        }
        return s;
    }

    private static Breadth managedPolicy(String action) {
        String name = action.substring(action.lastIndexOf('/') + 1);
        if (name.equals("administratoraccess")) {
            return Breadth.ADMIN;
        }
        if (name.contains("readonly") || name.equals("viewonlyaccess") || name.equals("securityaudit")) {
            return Breadth.READ;
        }
        if (name.endsWith("fullaccess") || name.equals("poweruseraccess")) {
            return Breadth.WILDCARD;
        }
        return Breadth.WRITE;
    }

    static String describe(Entitlement e) {
        return e.action() + " on " + e.resource() + (e.grantedVia() == null ? "" : " via " + e.grantedVia());
    }
}
