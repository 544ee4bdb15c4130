package dev.warden.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.broker.Broker;
import dev.warden.broker.X509Svids;
import dev.warden.broker.ca.Pem;
import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * X.509-SVIDs and the SPIFFE trust bundle: {@code POST /v1/svid/x509} (the workload authenticates
 * with its own subject token or mTLS certificate, never an API token) and {@code GET /v1/bundle}
 * (public). Errors are problem+json: 400 bad input, 401 the subject token did not attest, 403 the
 * policy does not allow it, 413 too large, 503 nothing could be recorded.
 */
final class SvidRoutes {
    /** Largest request body: a CSR ({@code Csr.MAX_CHARS}) and a subject token, with room for JSON. */
    static final int MAX_BODY = 64 * 1024;

    private final Broker broker;
    private final ObjectMapper mapper;

    SvidRoutes(Broker broker, ObjectMapper mapper) {
        this.broker = broker;
        this.mapper = mapper;
    }

    /** The JSON body of {@code POST /v1/svid/x509}. */
    record SvidRequest(
            @JsonProperty("subject_token") String subjectToken,
            @JsonProperty("subject_token_type") String subjectTokenType,
            @JsonProperty("csr") String csr,
            @JsonProperty("ttl") Long ttl) {}

    List<Route> routes() {
        return List.of(Route.post("/v1/svid/x509", null, this::issue), Route.get("/v1/bundle", null, this::bundle));
    }

    private X509Svids svids() {
        if (broker == null || broker.svids() == null) {
            throw Problem.notFound("X.509-SVIDs are not enabled (configure 'broker.ca' in warden.yaml)");
        }
        return broker.svids();
    }

    private void issue(Context ctx) {
        X509Svids svids = svids();
        if (HttpServer.declaredLength(ctx) > MAX_BODY) {
            throw new Problem(413, "request body exceeds " + MAX_BODY + " bytes");
        }
        SvidRequest body = JsonBody.read(ctx, mapper, SvidRequest.class, MAX_BODY);
        X509Svids.Response r;
        try {
            r = svids.issue(new X509Svids.Request(
                    body.subjectToken(),
                    body.subjectTokenType(),
                    body.csr(),
                    body.ttl(),
                    Callers.source(broker, ctx),
                    Callers.clientChain(ctx)));
        } catch (X509Svids.Refused e) {
            throw new Problem(e.status(), e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spiffe_id", r.spiffeId());
        out.put("certificate_chain", Pem.pem(r.chain()));
        out.put("expires_at", r.expiresAt().toString());
        out.put("lease_id", r.leaseId());
        out.put("serial", r.serial());
        out.put("fingerprint", r.fingerprint());
        out.put("trust_bundle", Pem.pem(anchors(svids)));
        ctx.json(out);
    }

    private static List<X509Certificate> anchors(X509Svids svids) {
        return svids.ca().anchors();
    }

    private void bundle(Context ctx) {
        String json = broker == null ? null : broker.spiffeBundle().orElse(null);
        if (json == null) {
            throw Problem.notFound("the SPIFFE bundle is not served (configure 'broker.ca' in warden.yaml)");
        }
        ctx.contentType("application/json").result(json);
        ctx.header("Cache-Control", "public, max-age=" + Broker.BUNDLE_REFRESH_HINT.toSeconds());
    }
}
