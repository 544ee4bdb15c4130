package dev.warden.inventory;

import dev.warden.input.Echo;
import java.util.regex.Pattern;

/**
 * Where an identity was found: a source type ({@code aws}, {@code kubernetes}, {@code github},
 * {@code postgresql}, {@code certificate}, ...) and the scope inside it (AWS account id, cluster
 * name, GitHub org, database server); scope is empty when the source has none.
 */
public record Source(String type, String scope) {
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]{0,39}");

    public Source {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException(
                    "source type '" + Echo.shown(type) + "' must be lower-case letters, digits, '-' or '_'");
        }
        scope = scope == null ? "" : scope.strip();
        if (!scope.isEmpty()) {
            InventoryText.optional("source scope", scope);
        }
    }

    public static Source of(String type, String scope) {
        return new Source(type, scope);
    }

    /** {@code type} or {@code type:scope}, as the CLI and API filters accept it. */
    @Override
    public String toString() {
        return scope.isEmpty() ? type : type + ":" + scope;
    }
}
