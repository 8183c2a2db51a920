package dev.paddock.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.paddock.testing.TestRig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sweep of a stopped server's session: what it left behind dies, a session that is someone's again does not. */
class ProcessTreeTest {
    @Test
    void aSessionIsSweptOnlyOnceItsLeaderHasGone() throws Exception {
        assumeTrue(ProcessTree.SWEEPS_SESSIONS, "needs setsid and /proc (Linux)");
        // a leader with a member, as a server with a child it started; alive, it stands for a process that was
        // handed the pid of a server that had exited and made a session of its own
        Process leader =
                new ProcessBuilder(ProcessTree.inOwnSession(List.of("/bin/sh", "-c", "sleep 60 & wait"))).start();
        ProcessHandle member = null;
        try {
            await().until(() -> leader.toHandle().children().findAny().isPresent());
            member = leader.toHandle().children().findFirst().orElseThrow();

            assertThat(ProcessTree.killSession(leader.pid()))
                    .as("its leader is alive")
                    .isZero();
            assertThat(TestRig.isRunning(member)).isTrue();

            leader.destroyForcibly();
            assertThat(leader.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ProcessTree.killSession(leader.pid())).as("left behind").isEqualTo(1);
            ProcessHandle left = member;
            await().until(() -> !TestRig.isRunning(left));
        } finally {
            leader.destroyForcibly();
            if (member != null) member.destroyForcibly();
        }
    }
}
