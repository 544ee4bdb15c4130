package dev.warden.scan;

import com.google.re2j.Pattern;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a literal secret value from what only stands for one: template and environment references
 * ({@code ${VAR}}, {@code {{ .Values.x }}}, {@code $(cmd)}), code references
 * ({@code config.password}, {@code getSecret()}), secret-manager pointers, paths and URLs, hashes of
 * passwords, UUIDs, public keys and prose.
 */
final class Values {
    private static final Pattern UUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern PASSWORD_HASH = Pattern.compile(
            "^(?:\\$2[abxy]?\\$\\d{2}\\$[./A-Za-z0-9]{53}|\\$argon2(?:id|i|d)\\$.*|\\$[156]\\$.*|\\$pbkdf2.*|\\{S?SHA\\d*\\}.*|pbkdf2_sha256\\$.*|scrypt:.*|md5[0-9a-f]{32})$");
    private static final Pattern IDENTIFIER =
            Pattern.compile("^[A-Za-z_$@][A-Za-z0-9_$]*(?:(?:\\.|->|::|\\?\\.)[A-Za-z_$][A-Za-z0-9_$]*)*(?:\\(\\))?$");
    private static final Pattern YAML_ALIAS = Pattern.compile("^[*&][A-Za-z_][A-Za-z0-9_-]*$");
    private static final Pattern CALL = Pattern.compile("^[A-Za-z_$][A-Za-z0-9_.$]*\\(.*\\)?$");
    private static final Pattern DIGEST_PREFIX = Pattern.compile("(?i)^(?:sha(?:1|224|256|384|512)|md5)[-:=]");
    private static final Set<String> CODE_EXTENSIONS = Set.of(
            "java", "kt", "kts", "scala", "groovy", "js", "mjs", "cjs", "jsx", "ts", "tsx", "py", "rb", "go", "rs",
            "cs", "php", "swift", "c", "h", "cc", "cpp", "hpp", "m", "dart", "lua", "pl", "ex", "exs", "clj", "vue",
            "tf", "hcl", "tfvars");
    private static final String[] REFERENCE_PREFIXES = {
        "${",
        "$(",
        "{{",
        "{%",
        "<%",
        "#{",
        "%(",
        "%{",
        "%s",
        "@{",
        "[[",
        "$$",
        "(",
        "<",
        "!vault",
        "!ref",
        "!sub",
        "!secret",
        "!env",
        "!!",
        "/",
        "./",
        "../",
        "~/",
        "file:",
        "http://",
        "https://",
        "data:",
        "vault:",
        "ref+",
        "env:",
        "secret:",
        "secrets.",
        "arn:",
        "projects/",
        "awssm:",
        "sm://",
        "op://",
        "azurekeyvault",
        "gcp-secret",
        "enc[",
        "process.env",
        "os.environ",
        "os.getenv",
        "system.getenv",
        "env[",
        "env.",
        "getenv",
        "sha256:",
        "sha512-",
        "sha384-",
        "sha1-"
    };

    private Values() {}

    /** True for template, environment and secret-manager references and other non-literals. */
    static boolean isPlaceholder(String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            return true;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        for (String p : REFERENCE_PREFIXES) {
            if (lower.startsWith(p)) {
                return true;
            }
        }
        if (YAML_ALIAS.matcher(v).matches()) {
            return true;
        }
        if (v.charAt(0) == '$' && v.length() > 1 && (Character.isLetter(v.charAt(1)) || v.charAt(1) == '_')) {
            return true; // $VAR
        }
        return v.contains("${")
                || v.contains("{{")
                || v.contains("}}")
                || v.contains("%s")
                || (v.startsWith("<") && v.endsWith(">"))
                || (v.startsWith("[") && v.endsWith("]"));
    }

    static boolean isUuid(String v) {
        return UUID.matcher(v).matches();
    }

    static boolean isPasswordHash(String v) {
        return PASSWORD_HASH.matcher(v).matches();
    }

    static boolean isDigest(String v) {
        return DIGEST_PREFIX.matcher(v).find();
    }

    /** Public key material: SSH public keys, PEM public keys and certificates, publishable API keys. */
    static boolean isPublicKey(String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        return lower.startsWith("ssh-")
                || lower.startsWith("ecdsa-sha2-")
                || lower.startsWith("sk-ssh-")
                || lower.contains("begin public key")
                || lower.contains("begin certificate")
                || lower.startsWith("pk_live_")
                || lower.startsWith("pk_test_")
                || lower.startsWith("age1");
    }

    /** A code reference: {@code config.db.password}, {@code getPassword()}, {@code self.token}. */
    static boolean isCodeReference(String v) {
        return IDENTIFIER.matcher(v).matches() || CALL.matcher(v).matches();
    }

    static boolean isCodeFile(String extension) {
        return CODE_EXTENSIONS.contains(extension);
    }

    /** Prose rather than a value: three or more words. */
    static boolean isProse(String v) {
        int spaces = 0;
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) == ' ') {
                spaces++;
            }
        }
        return spaces >= 2;
    }
}
