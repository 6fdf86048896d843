using System.Text.Json;
using Resilience.Simulation.Publishing;
using Resilience.Simulation.Registry;
using Resilience.Simulation.Running;
using Resilience.Simulation.Scenarios;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Simulators;

/// <summary>
/// The demo's live mode (<c>--live</c>): the scenario's hours before "now" are backfilled at once, the rest follow the
/// clock. Driven by a manual clock, so no test waits on real time.
/// </summary>
public sealed class SimulationRunnerLiveTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 2, 5, 37, 20, TimeSpan.Zero);

    [Fact]
    public async Task RunLiveAsync_BackfillThenClock_NoPublishedTimestampIsAheadOfTheClock()
    {
        var clock = new ManualTimeProvider(s_now);
        Scenario scenario = ScenarioLoader.Parse(File.ReadAllText(TestRegistry.ScenarioPath("danang-typhoon")));
        scenario.DurationHours = 27;
        var publisher = new RecordingPublisher(clock);
        var runner = new SimulationRunner(publisher, clock, TimestampMode.Simulated);
        DateTimeOffset start = s_now - TimeSpan.FromHours(26);
        var engine = new ScenarioEngine(scenario, TestRegistry.Sensors, start);
        long backfilled = -1;

        Task<long> run = runner.RunLiveAsync(engine, n => backfilled = n, CancellationToken.None);
        await DriveClockAsync(clock, run, engine.End + TimeSpan.FromHours(1));
        long published = await run;

        publisher.Messages.Should().HaveCount((int)published).And.HaveCount(engine.Run().Count(), "every reading is played once");
        publisher.Messages.Should().OnlyContain(m => m.Ts <= m.ClockAt, "a timestamp ahead of the clock would be in the backend's future");
        publisher.Messages.Select(m => m.Ts).Should().BeInAscendingOrder();

        // The backfill: every reading up to the start-up "now" went out before the clock moved at all.
        List<Published> before = [.. publisher.Messages.Where(m => m.ClockAt == s_now)];
        before.Should().HaveCount((int)backfilled);
        before.Should().OnlyContain(m => m.Ts <= s_now);
        before.Max(m => m.Ts).Should().BeOnOrAfter(s_now - TimeSpan.FromMinutes(10), "the backfill reaches now (the slowest test sensor reports every 15 min, its phase is random)");
        foreach (SimSensor sensor in TestRegistry.Sensors)
        {
            DateTimeOffset last = before.Where(m => m.SensorId == sensor.Id).Max(m => m.Ts);
            last.Should().BeAfter(s_now - TimeSpan.FromSeconds(sensor.ReportingIntervalSeconds), $"{sensor.Id} has a current reading when the backfill ends");
        }

        // The live part: the rest of the scenario, each reading sent when the clock reached its timestamp, not later.
        List<Published> after = [.. publisher.Messages.Where(m => m.ClockAt > s_now)];
        after.Should().NotBeEmpty();
        after.Should().OnlyContain(m => m.ClockAt - m.Ts < TimeSpan.FromMinutes(1), "live readings go out on time, not in bursts");
    }

    [Fact]
    public async Task RunLiveAsync_ScenarioEntirelyInThePast_AllAtOnceAndNeverCallsCaughtUp()
    {
        var clock = new ManualTimeProvider(s_now);
        Scenario scenario = ScenarioLoader.Parse(File.ReadAllText(TestRegistry.ScenarioPath("calm")));
        scenario.DurationHours = 3;
        var publisher = new RecordingPublisher(clock);
        var runner = new SimulationRunner(publisher, clock, TimestampMode.Simulated);
        var engine = new ScenarioEngine(scenario, TestRegistry.Sensors, s_now - TimeSpan.FromHours(5));
        bool caughtUp = false;

        long published = await runner.RunLiveAsync(engine, _ => caughtUp = true, CancellationToken.None);

        published.Should().BePositive();
        caughtUp.Should().BeFalse();
        publisher.Messages.Should().OnlyContain(m => m.ClockAt == s_now && m.Ts <= s_now);
    }

    [Fact]
    public async Task RunLiveAsync_ScenarioStartingInTheFuture_PublishesNothingUntilTheClockGetsThere()
    {
        var clock = new ManualTimeProvider(s_now);
        Scenario scenario = ScenarioLoader.Parse(File.ReadAllText(TestRegistry.ScenarioPath("calm")));
        scenario.DurationHours = 1;
        var publisher = new RecordingPublisher(clock);
        var runner = new SimulationRunner(publisher, clock, TimestampMode.Simulated);
        var engine = new ScenarioEngine(scenario, TestRegistry.Sensors, s_now + TimeSpan.FromHours(2));
        using var cts = new CancellationTokenSource();

        Task<long> run = runner.RunLiveAsync(engine, null, cts.Token);
        await DriveClockAsync(clock, run, s_now + TimeSpan.FromHours(1));
        publisher.Messages.Should().BeEmpty("nothing is due before the scenario's start");
        await cts.CancelAsync();

        Func<Task> cancelled = () => run;
        await cancelled.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void ScenarioLoader_LiveNowAtOutsideTheScenario_IsRefusedWithItsName()
    {
        string yaml = File.ReadAllText(TestRegistry.ScenarioPath("calm")) + "\nliveNowAtHours: 99\n";

        Action parse = () => ScenarioLoader.Parse(yaml);

        parse.Should().Throw<FormatException>().WithMessage("*liveNowAtHours*");
    }

    [Theory]
    [InlineData("danang-typhoon")]
    [InlineData("hanoi-smog")]
    public void ShippedScenarios_LiveNowAt_LeavesADayOfHistoryForThe24HourCharts(string name)
    {
        Scenario scenario = ScenarioLoader.Parse(File.ReadAllText(TestRegistry.ScenarioPath(name)));

        scenario.LiveNowAtHours.Should().NotBeNull();
        scenario.LiveNowAtHours!.Value.Should().BeInRange(24, 48);
    }

    [Fact]
    public void DanangTyphoon_LiveNow_FallsWhileTheRiversRiseBetweenAlarmIIAndIII()
    {
        // The demo opens on a flood in progress: residents see a warning and officers an ETA to alarm III.
        Scenario scenario = ScenarioLoader.Parse(File.ReadAllText(TestRegistry.ScenarioPath("danang-typhoon")));
        var engine = new ScenarioEngine(scenario, TestRegistry.Sensors, s_now);
        SimSensor gauge = TestRegistry.Sensors.Single(s => s.Id == "dn-ainghia-wl");
        double nowSeconds = scenario.LiveNowAtHours!.Value * 3600;

        double units = engine.AlarmUnitsAt(gauge, nowSeconds);
        double later = engine.AlarmUnitsAt(gauge, nowSeconds + 3600);

        units.Should().BeInRange(2.0, 3.0);
        later.Should().BeGreaterThan(units, "still rising");
    }

    /// <summary>Advances the clock to each pending timer while <paramref name="run"/> works, until it ends or the clock reaches <paramref name="until"/>.</summary>
    private static async Task DriveClockAsync(ManualTimeProvider clock, Task run, DateTimeOffset until)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!run.IsCompleted && clock.GetUtcNow() < until)
        {
            guard.Token.ThrowIfCancellationRequested();
            if (clock.NextTimerDue is { } due)
            {
                clock.SetUtcNow(due < until ? due : until);
            }
            else
            {
                await Task.Delay(1);
            }
        }
    }

    private sealed record Published(string SensorId, DateTimeOffset Ts, DateTimeOffset ClockAt);

    /// <summary>Records each message's sensor and payload timestamp with the clock's time at publication.</summary>
    private sealed class RecordingPublisher(TimeProvider clock) : ITelemetryPublisher
    {
        public List<Published> Messages { get; } = [];

        public long Sent => Messages.Count;

        public ValueTask PublishAsync(ReadOnlyMemory<byte> topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
        {
            string sensor = System.Text.Encoding.UTF8.GetString(topic.Span).Split('/')[2];
            using JsonDocument doc = JsonDocument.Parse(payload);
            JsonElement root = doc.RootElement;
            DateTimeOffset ts = root.ValueKind == JsonValueKind.Array
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)(root[0].GetProperty("bt").GetDouble() * 1000))
                : ParseTs(root.GetProperty("ts"));
            Messages.Add(new Published(sensor, ts, clock.GetUtcNow()));
            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DrainAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static DateTimeOffset ParseTs(JsonElement ts) => ts.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds(ts.GetInt64())
            : DateTimeOffset.Parse(ts.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
