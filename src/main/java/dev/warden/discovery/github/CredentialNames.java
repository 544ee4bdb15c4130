package dev.warden.discovery.github;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the names in a workflow say about a credential: environment variables that carry cloud or
 * service credentials, CLI logins in {@code run:} scripts, secret and key-named variable references
 * in {@code ${{ }}} expressions, and the target a secret's own name points at. Pure tables and
 * functions; {@link Workflow} applies them to jobs and steps.
 */
final class CredentialNames {
    /** Environment variables that carry static cloud credentials. */
    static final Map<String, String> STATIC_ENV = Map.ofEntries(
            Map.entry("AWS_ACCESS_KEY_ID", "aws"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "aws"),
            Map.entry("AWS_SESSION_TOKEN", "aws"),
            Map.entry("GOOGLE_CREDENTIALS", "gcp"),
            Map.entry("GOOGLE_APPLICATION_CREDENTIALS_JSON", "gcp"),
            Map.entry("GOOGLE_CLOUD_KEYFILE_JSON", "gcp"),
            Map.entry("GCP_SA_KEY", "gcp"),
            Map.entry("GCLOUD_SERVICE_KEY", "gcp"),
            Map.entry("CLOUDSDK_AUTH_ACCESS_TOKEN", "gcp"),
            Map.entry("ARM_CLIENT_SECRET", "azure"),
            Map.entry("ARM_CLIENT_CERTIFICATE_PASSWORD", "azure"),
            Map.entry("ARM_ACCESS_KEY", "azure"),
            Map.entry("AZURE_CLIENT_SECRET", "azure"),
            Map.entry("AZURE_CREDENTIALS", "azure"),
            Map.entry("AZURE_STORAGE_KEY", "azure"),
            // research §5: provider and Terraform conventions
            Map.entry("ALIBABA_CLOUD_ACCESS_KEY_ID", "alibaba"),
            Map.entry("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "alibaba"),
            Map.entry("ALICLOUD_ACCESS_KEY", "alibaba"),
            Map.entry("ALICLOUD_SECRET_KEY", "alibaba"),
            Map.entry("TENCENTCLOUD_SECRET_ID", "tencent"),
            Map.entry("TENCENTCLOUD_SECRET_KEY", "tencent"),
            Map.entry("IC_API_KEY", "ibm"),
            Map.entry("IBMCLOUD_API_KEY", "ibm"));

    /** Environment variables that carry credentials of services other than clouds. */
    static final Map<String, String> SERVICE_ENV = Map.ofEntries(
            Map.entry("NODE_AUTH_TOKEN", "npm"),
            Map.entry("NPM_TOKEN", "npm"),
            Map.entry("TWINE_PASSWORD", "pypi"),
            Map.entry("UV_PUBLISH_TOKEN", "pypi"),
            Map.entry("VAULT_TOKEN", "vault"),
            Map.entry("VAULT_ROLE_ID", "vault"),
            Map.entry("VAULT_SECRET_ID", "vault"),
            Map.entry("KUBE_CONFIG", "cluster"),
            Map.entry("KUBECONFIG_DATA", "cluster"),
            Map.entry("DIGITALOCEAN_ACCESS_TOKEN", "digitalocean"),
            Map.entry("HCLOUD_TOKEN", "hetzner"),
            Map.entry("CLOUDFLARE_API_TOKEN", "cloudflare"),
            Map.entry("HEROKU_API_KEY", "heroku"));

    /** Targets that are clouds (the others are registries, clusters, package indexes, services). */
    static final Set<String> CLOUDS = Set.of("aws", "gcp", "azure", "alibaba", "tencent", "ibm");

    /**
     * CLI logins inside {@code run:} (research §5): a secret on the same line reaches this target.
     * First match wins.
     */
    static final List<Map.Entry<Pattern, String>> RUN_LOGINS = List.of(
            Map.entry(Pattern.compile("\\baws\\s+configure\\b"), "aws"),
            Map.entry(Pattern.compile("\\baliyun\\s+configure\\b"), "alibaba"),
            Map.entry(Pattern.compile("\\btccli\\s+configure\\b"), "tencent"),
            Map.entry(Pattern.compile("\\bibmcloud\\s+login\\b"), "ibm"),
            Map.entry(Pattern.compile("\\boc\\s+login\\b"), "openshift"),
            Map.entry(Pattern.compile("\\baz\\s+login\\b"), "azure"),
            Map.entry(Pattern.compile("\\bgcloud\\s+auth\\b"), "gcp"),
            Map.entry(Pattern.compile("\\bhelm\\s+registry\\s+login\\b"), "registry"),
            Map.entry(Pattern.compile("\\b(?:docker|podman|buildah)\\s+login\\b"), "registry"),
            Map.entry(Pattern.compile("\\bkubectl\\b.*--token"), "cluster"),
            Map.entry(Pattern.compile("_authToken|\\bnpm\\s+(?:config|publish|login)\\b"), "npm"),
            Map.entry(Pattern.compile("\\b(?:twine|uv)\\s+(?:upload|publish)\\b"), "pypi"),
            Map.entry(Pattern.compile("\\bvault\\s+login\\b"), "vault"));

    static final Pattern DOCKER_LOGIN_REGISTRY =
            Pattern.compile("\\blogin\\b.*?\\s([a-z0-9.-]+\\.[a-z]{2,}(?::[0-9]+)?)(?:\\s|$)");
    static final Pattern VAR_REF = Pattern.compile("\\bvars\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*)");
    static final Pattern KEY_NAME = Pattern.compile(".*(KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIALS?)");

    static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
    static final Pattern SECRET_REF = Pattern.compile(
            "\\bsecrets\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\\s*])");

    private CredentialNames() {}

    /** The target a secret's name says, for secrets passed where the action or CLI does not. */
    static String fallbackTarget(Set<String> names, String otherwise) {
        for (String n : names) {
            String t = targetOfName(n.startsWith("vars.") ? n.substring(5) : n);
            if (t != null) {
                return t;
            }
        }
        return otherwise;
    }

    static String targetOfName(String n) {
        if (n.startsWith("AWS") || n.startsWith("AMAZON")) {
            return "aws";
        }
        if (n.startsWith("GCP") || n.startsWith("GOOGLE") || n.startsWith("GCLOUD")) {
            return "gcp";
        }
        if (n.startsWith("AZURE") || n.startsWith("ARM_")) {
            return "azure";
        }
        if (n.startsWith("ALIBABA") || n.startsWith("ALICLOUD") || n.startsWith("ALIYUN")) {
            return "alibaba";
        }
        if (n.startsWith("TENCENT")) {
            return "tencent";
        }
        if (n.startsWith("IBM") || n.startsWith("IC_")) {
            return "ibm";
        }
        if (n.startsWith("OPENSHIFT")) {
            return "openshift";
        }
        if (n.startsWith("DOCKER")) {
            return "registry:docker.io";
        }
        if (n.startsWith("NPM") || n.equals("NODE_AUTH_TOKEN")) {
            return "npm";
        }
        if (n.startsWith("PYPI") || n.startsWith("TWINE")) {
            return n.contains("TEST") ? "testpypi" : "pypi";
        }
        if (n.startsWith("VAULT")) {
            return "vault";
        }
        if (n.startsWith("KUBE") || n.startsWith("K8S")) {
            return "cluster";
        }
        return null;
    }

    /** Secret names in the {@code ${{ }}} expressions of {@code text}. */
    static Set<String> secretNames(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = EXPRESSION.matcher(text);
        while (m.find()) {
            out.addAll(names(SECRET_REF.matcher(m.group(1))));
        }
        return out;
    }

    static List<String> names(Matcher m) {
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }
}
