package dev.paddock.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.paddock.testing.ProcFs;
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
        // handed the pid of a server that had exited and made a session of its own. The member leads a process group
        // of its own (perl's setpgrp), so only its session ties it to the leader
        Process leader = new ProcessBuilder(
                        ProcessTree.inOwnSession(List.of("/bin/sh", "-c", "perl -e 'setpgrp(0, 0); sleep 60' & wait")))
                .start();
        ProcessHandle member = null;
        try {
            await().until(() -> leader.toHandle().children().findAny().isPresent());
            member = leader.toHandle().children().findFirst().orElseThrow();
            long pid = member.pid();
            await().until(() -> ProcFs.groupOf(pid) == pid);
            assertThat(ProcFs.sessionOf(pid)).isEqualTo(leader.pid());

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
