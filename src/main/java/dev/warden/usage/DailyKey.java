package dev.warden.usage;

/**
 * The dimensions of one daily aggregate. Its hash code is computed once, when the key is made
 * (on the parsing thread, see {@link EventPipe}), not at every map lookup.
 */
final class DailyKey {
    private final String sourceType;
    private final String scope;
    private final String principal;
    private final String credential;
    private final long day;
    private final String action;
    private final String sourceIp;
    private final String userAgent;
    private final String type;
    private final String target;
    private final int hash;

    DailyKey(
            String sourceType,
            String scope,
            String principal,
            String credential,
            long day,
            String action,
            String sourceIp,
            String userAgent,
            String type,
            String target) {
        this.sourceType = sourceType;
        this.scope = scope;
        this.principal = principal;
        this.credential = credential;
        this.day = day;
        this.action = action;
        this.sourceIp = sourceIp;
        this.userAgent = userAgent;
        this.type = type;
        this.target = target;
        int h = sourceType.hashCode();
        h = 31 * h + scope.hashCode();
        h = 31 * h + principal.hashCode();
        h = 31 * h + credential.hashCode();
        h = 31 * h + Long.hashCode(day);
        h = 31 * h + action.hashCode();
        h = 31 * h + sourceIp.hashCode();
        h = 31 * h + userAgent.hashCode();
        h = 31 * h + type.hashCode();
        this.hash = 31 * h + target.hashCode();
    }

    static DailyKey of(UsageEvent e) {
        return new DailyKey(
                e.sourceType(),
                e.scope(),
                e.principal(),
                e.credential() == null ? "" : e.credential(),
                Math.floorDiv(e.at().getEpochSecond(), 86_400L),
                e.action(),
                e.sourceIp() == null ? "" : e.sourceIp(),
                e.userAgent() == null ? "" : e.userAgent(),
                e.type(),
                e.target() == null ? "" : e.target());
    }

    /** This key with {@code canon}'s instance of each string: for a key an aggregate keeps. */
    DailyKey canonical(Canon canon) {
        return new DailyKey(
                canon.of(sourceType),
                canon.of(scope),
                canon.of(principal),
                canon.of(credential),
                day,
                canon.of(action),
                canon.of(sourceIp),
                canon.of(userAgent),
                canon.of(type),
                canon.of(target));
    }

    String sourceType() {
        return sourceType;
    }

    String scope() {
        return scope;
    }

    String principal() {
        return principal;
    }

    String credential() {
        return credential;
    }

    long day() {
        return day;
    }

    String action() {
        return action;
    }

    String sourceIp() {
        return sourceIp;
    }

    String userAgent() {
        return userAgent;
    }

    String type() {
        return type;
    }

    String target() {
        return target;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DailyKey k
                && hash == k.hash
                && day == k.day
                && principal.equals(k.principal)
                && action.equals(k.action)
                && credential.equals(k.credential)
                && sourceIp.equals(k.sourceIp)
                && userAgent.equals(k.userAgent)
                && type.equals(k.type)
                && target.equals(k.target)
                && scope.equals(k.scope)
                && sourceType.equals(k.sourceType);
    }

    IdentityKey identity() {
        return new IdentityKey(sourceType, scope, principal);
    }
}
