package io.gatewise.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

class CloseCodesTest {

    @Test
    void everyCodeTheGatewaySendsBecomesJakartaWebSocketsTypeWithoutTheApisLookup() {
        assertThat(CloseCodes.jakarta(1001)).isSameAs(CloseReason.CloseCodes.GOING_AWAY);
        assertThat(CloseCodes.jakarta(1009)).isSameAs(CloseReason.CloseCodes.TOO_BIG);
        // Not in the API's enum, and refused by the lookup of Tomcat's copy of the API.
        assertThat(CloseCodes.jakarta(CloseCodes.BAD_GATEWAY).getCode()).isEqualTo(1014);
        assertThat(CloseCodes.jakarta(4000).getCode()).isEqualTo(4000);
        assertThat(CloseCodes.jakarta(4000)).hasToString("4000");
    }
}
