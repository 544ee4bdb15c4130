package dev.warden.posture;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The NIST Cybersecurity Framework 2.0 subcategories Warden's checks map to, with their text, so
 * that a report can name what each one asks for. A check may only name subcategories listed here.
 */
final class Nist {
    private static final Pattern FORMAT = Pattern.compile("(GV|ID|PR|DE|RS|RC)\\.[A-Z]{2}-\\d{2}");
    private static final Map<String, String> SUBCATEGORIES = new LinkedHashMap<>();

    static {
        SUBCATEGORIES.put(
                "GV.SC-07",
                "The risks posed by a supplier, their products and services, and other third parties are understood,"
                        + " recorded, prioritized, assessed, responded to, and monitored over the course of the"
                        + " relationship");
        SUBCATEGORIES.put(
                "ID.AM-08", "Systems, hardware, software, services, and data are managed throughout their life cycles");
        SUBCATEGORIES.put(
                "PR.AA-01",
                "Identities and credentials for authorized users, services, and hardware are managed by the"
                        + " organization");
        SUBCATEGORIES.put("PR.AA-03", "Users, services, and hardware are authenticated");
        SUBCATEGORIES.put(
                "PR.AA-05",
                "Access permissions, entitlements, and authorizations are defined in a policy, managed, enforced, and"
                        + " reviewed, and incorporate the principles of least privilege and separation of duties");
        SUBCATEGORIES.put("PR.DS-01", "The confidentiality, integrity, and availability of data-at-rest are protected");
        SUBCATEGORIES.put(
                "PR.DS-02", "The confidentiality, integrity, and availability of data-in-transit are protected");
        SUBCATEGORIES.put("PR.PS-01", "Configuration management practices are established and applied");
        SUBCATEGORIES.put(
                "PR.IR-01", "Networks and environments are protected from unauthorized logical access and usage");
        SUBCATEGORIES.put(
                "DE.CM-03", "Personnel activity and technology usage are monitored to find potentially adverse events");
        SUBCATEGORIES.put(
                "DE.AE-02", "Potentially adverse events are analyzed to better understand associated activities");
    }

    private Nist() {}

    /** Every subcategory a check may name, in framework order. */
    public static List<String> subcategories() {
        return List.copyOf(SUBCATEGORIES.keySet());
    }

    /** The framework's text of {@code subcategory}. */
    public static String text(String subcategory) {
        String t = SUBCATEGORIES.get(subcategory);
        if (t == null) {
            throw new IllegalArgumentException("unknown NIST CSF 2.0 subcategory '" + subcategory + "'");
        }
        return t;
    }

    /** True for a subcategory written as the framework writes it ({@code PR.AA-05}) and listed here. */
    public static boolean isKnown(String subcategory) {
        return subcategory != null && FORMAT.matcher(subcategory).matches() && SUBCATEGORIES.containsKey(subcategory);
    }
}
