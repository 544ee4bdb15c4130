package dev.warden.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a policy decides on: the verified {@code subject}, the {@code request} and its
 * {@code context}. In CEL these are the variables {@code subject.*}, {@code request.*} and
 * {@code context.*} (see {@link PolicyCompiler#VARIABLES}).
 */
public record PolicyInput(Subject subject, Request request, Context context) {
    public PolicyInput {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
    }

    /** The attested workload. */
    public record Subject(
            String id,
            String attestor,
            String kind,
            String issuer,
            String spiffeId,
            Map<String, Object> claims,
            Map<String, String> attributes) {
        public Subject {
            Objects.requireNonNull(id, "subject.id");
            attestor = attestor == null ? "" : attestor;
            kind = kind == null ? "" : kind;
            issuer = issuer == null ? "" : issuer;
            spiffeId = spiffeId == null ? "" : spiffeId;
            claims = claims == null ? Map.of() : Map.copyOf(claims);
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }

    /**
     * What the workload asks for. {@code ttl} is the requested lifetime, or null for the
     * policy's default; {@code actor} is the delegating actor's workload id, or empty;
     * {@code credential} is what it asks for: {@link #TOKEN} or {@link #X509_SVID}.
     */
    public record Request(
            String audience, String resource, List<String> scopes, Duration ttl, String actor, String credential) {
        /** An access token by token exchange. */
        public static final String TOKEN = "token";
        /** An X.509-SVID from Warden's CA. */
        public static final String X509_SVID = "x509-svid";

        public Request {
            audience = audience == null ? "" : audience;
            resource = resource == null ? "" : resource;
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            actor = actor == null ? "" : actor;
            credential = credential == null ? TOKEN : credential;
        }

        /** A token request. */
        public Request(String audience, String resource, List<String> scopes, Duration ttl, String actor) {
            this(audience, resource, scopes, ttl, actor, TOKEN);
        }

        /** An X.509-SVID request. */
        public static Request x509Svid(Duration ttl) {
            return new Request(null, null, null, ttl, null, X509_SVID);
        }

        /** The audiences the issued token would carry: audience and resource when given. */
        public List<String> targets() {
            if (!audience.isEmpty() && !resource.isEmpty() && !audience.equals(resource)) {
                return List.of(audience, resource);
            }
            return List.of(audience.isEmpty() ? resource : audience);
        }
    }

    /** Where and when: the request time, the caller's address, and Warden's environment. */
    public record Context(Instant time, String sourceAddress, String environment) {
        public Context {
            Objects.requireNonNull(time, "context.time");
            sourceAddress = sourceAddress == null ? "" : sourceAddress;
            environment = environment == null ? "" : environment;
        }
    }
}
