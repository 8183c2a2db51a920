package dev.paddock.bench;

import dev.paddock.supervisor.LaunchSpec;
import dev.paddock.supervisor.ServerState;
import dev.paddock.testing.SupervisorFixture;
import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The status read while a load is in flight: the fake server stays on 503 for ten minutes, so every measured
 * read happens during a load. Run: {@code scripts/bench.sh reads}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StateReadBenchmark {
    private SupervisorFixture fixture;

    @Setup(Level.Trial)
    public void startALoadThatNeverFinishes() throws Exception {
        Path dir = Files.createTempDirectory("paddock-jmh");
        Path fake = TestRig.fakeServerScript(dir);
        Path model = Files.writeString(dir.resolve("m.gguf"), "x");
        fixture = new SupervisorFixture(dir);
        LaunchSpec slow = SupervisorFixture.spec(
                "slow",
                fake,
                model,
                TestRig.freePort(),
                Duration.ofSeconds(2),
                Duration.ofMinutes(10),
                "--fake-loading-ms",
                "600000");
        fixture.supervisor.load(slow);
        while (!(fixture.state() instanceof ServerState.Loading l && l.pid() > 0)) Thread.onSpinWait();
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (!(fixture.state() instanceof ServerState.Loading))
            throw new IllegalStateException("the load ended during the benchmark");
        fixture.close();
    }

    @Benchmark
    public ServerState readStateDuringLoad() {
        return fixture.state();
    }
}
