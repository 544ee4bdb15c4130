package dev.warden.broker.issue.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.Issued;
import dev.warden.broker.issue.Issuer;
import dev.warden.broker.issue.IssuerContract;
import java.sql.Connection;
import java.sql.ResultSet;

class PostgresIssuerContractTest extends IssuerContract {
    private final PgTarget target = PgTarget.create();
    private final PostgresIssuer issuer = new PostgresIssuer(target.config());

    @Override
    protected Issuer issuer() {
        return issuer;
    }

    @Override
    protected IssueRequest request() {
        return IssueRequest.of("readonly", null);
    }

    @Override
    protected boolean exists(String handle) {
        return target.roleExists(handle);
    }

    @Override
    protected void assertUsable(Issued issued) throws Exception {
        try (Connection c = target.login(
                        issued.material().get("username"), issued.material().get("password"));
                ResultSet rs = c.createStatement().executeQuery("SELECT item FROM orders WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("tea");
        }
    }
}
