package dev.warden.inventory;

/**
 * Which identities to list or count. Every field is optional; set fields are AND-ed.
 *
 * @param kind identity kind
 * @param source {@code TYPE} or {@code TYPE:SCOPE}
 * @param owner business or technical owner, exact
 * @param owned true: some owner recorded; false: none
 * @param environment exact environment
 * @param status lifecycle status
 * @param text case-insensitive substring of the name or external id
 * @param externalId exact external id
 * @param team when set (a team-scoped API token), only identities this team owns
 * @param nature machine or human; null: both (the CLI and API default to machine)
 */
public record IdentityFilter(
        IdentityKind kind,
        String source,
        String owner,
        Boolean owned,
        String environment,
        IdentityStatus status,
        String text,
        String externalId,
        String team,
        Nature nature) {
    public static final int MAX_TEXT = 256;

    public static final IdentityFilter ALL =
            new IdentityFilter(null, null, null, null, null, null, null, null, null, null);

    public IdentityFilter {
        source = bounded("source", source);
        owner = bounded("owner", owner);
        environment = bounded("environment", environment);
        text = bounded("q", text);
        externalId = InventoryText.optional("externalId", externalId);
        team = bounded("team", team);
    }

    private static String bounded(String field, String value) {
        String v = InventoryText.optional(field, value);
        if (v != null && v.length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_TEXT + " characters");
        }
        return v;
    }

    public IdentityFilter withTeam(String newTeam) {
        return new IdentityFilter(kind, source, owner, owned, environment, status, text, externalId, newTeam, nature);
    }

    public IdentityFilter withNature(Nature newNature) {
        return new IdentityFilter(kind, source, owner, owned, environment, status, text, externalId, team, newNature);
    }
}
