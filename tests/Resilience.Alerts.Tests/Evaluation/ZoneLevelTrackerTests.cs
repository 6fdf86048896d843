using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Tests.Evaluation;

public sealed class ZoneLevelTrackerTests
{
    private static readonly AlarmLevels s_levels = new(1.0, 2.0, 3.0);
    private static readonly FloodLevelOptions s_options = new(); // 0.05 m, 20 min
    private static readonly long s_t0 = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static long Minute(double m) => s_t0 + (long)(m * 60_000);

    private static (GaugeLevelState State, List<int> Levels) Run(AlarmLevels levels, params (double Minute, double Value)[] readings)
    {
        GaugeLevelState state = default;
        var seen = new List<int>();
        foreach ((double minute, double value) in readings)
        {
            state = ZoneLevelTracker.Step(state, levels, Minute(minute), value, s_options);
            seen.Add(state.Level);
        }

        return (state, seen);
    }

    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(2.0, 2)]
    [InlineData(3.0, 3)]
    public void Step_NoisyGaugeAstrideAThresholdForTwoHours_StepsUpOnceAndNeverDown(double threshold, int level)
    {
        // ± 2 cm around the threshold every minute (one reading at the threshold first).
        var readings = new List<(double, double)> { (0, threshold) };
        for (int minute = 1; minute <= 120; minute++)
        {
            readings.Add((minute, threshold + (minute % 2 == 0 ? 0.02 : -0.02)));
        }

        (GaugeLevelState state, List<int> levels) = Run(s_levels, [.. readings]);

        levels.Should().OnlyContain(l => l == level);
        state.Level.Should().Be(level);
    }

    [Fact]
    public void Step_Rise_StepsUpAtOnceWithoutWaiting()
    {
        (_, List<int> levels) = Run(s_levels, (0, 0.5), (1, 1.0), (2, 2.4), (3, 3.0));

        levels.Should().Equal(0, 1, 2, 3);
    }

    [Fact]
    public void Step_JumpFromNormalToAboveIII_GoesStraightToIII()
    {
        Run(s_levels, (0, 0.2), (1, 3.5)).Levels.Should().Equal(0, 3);
    }

    [Fact]
    public void Step_BelowTheMarginForLessThanTheMinimumDuration_Holds()
    {
        // At II, then 19 minutes at 1.5 (below 2.0 − 0.05), then back to 1.97 (inside the band): the count restarts.
        (GaugeLevelState state, List<int> levels) = Run(s_levels, (0, 2.1), (1, 1.5), (10, 1.5), (20, 1.5), (21, 1.97), (30, 1.5), (45, 1.5));

        levels.Should().OnlyContain(l => l == 2);
        state.BelowSinceMs.Should().Be(Minute(30));
    }

    [Fact]
    public void Step_BelowTheMarginForTheMinimumDuration_StepsDownOnceToTheLevelReadMeanwhile()
    {
        (GaugeLevelState state, List<int> levels) = Run(s_levels, (0, 3.2), (1, 2.5), (10, 2.4), (21, 2.3), (22, 2.3));

        levels.Should().Equal(3, 3, 3, 2, 2);
        state.BelowSinceMs.Should().Be(0, "2.3 is not below II − 0.05");
    }

    [Fact]
    public void Step_FastRecessionFromIIIToNormal_StepsDownInOneStep()
    {
        (_, List<int> levels) = Run(s_levels, (0, 3.2), (1, 0.4), (11, 0.4), (21, 0.3));

        levels.Should().Equal(3, 3, 3, 0);
    }

    [Fact]
    public void Step_GapLongerThanTheMinimumDuration_RestartsTheCountInsteadOfSteppingDown()
    {
        // Below at 00:01, silent for two hours, below again: nothing is known of the gap, so the level holds
        // until 20 more minutes of readings confirm.
        (_, List<int> levels) = Run(s_levels, (0, 2.5), (1, 1.5), (121, 1.5), (131, 1.5), (141, 1.5));

        levels.Should().Equal(2, 2, 2, 2, 1);
    }

    [Fact]
    public void Step_OutOfOrderOrDuplicateReading_ChangesNothing()
    {
        GaugeLevelState state = ZoneLevelTracker.Step(default, s_levels, Minute(10), 2.5, s_options);

        ZoneLevelTracker.Step(state, s_levels, Minute(5), 3.5, s_options).Should().Be(state, "a late reading must not raise");
        ZoneLevelTracker.Step(state, s_levels, Minute(10), 0.1, s_options).Should().Be(state, "a duplicate timestamp must not lower");
        ZoneLevelTracker.Step(state, s_levels, Minute(11), double.NaN, s_options).Should().Be(state);
    }

    [Fact]
    public void Step_OutOfOrderReadingDuringACount_DoesNotShortenIt()
    {
        GaugeLevelState state = default;
        foreach ((double m, double v) in new[] { (0.0, 2.5), (10.0, 1.5), (5.0, 1.5), (29.0, 1.5) })
        {
            state = ZoneLevelTracker.Step(state, s_levels, Minute(m), v, s_options);
        }

        state.Level.Should().Be(2, "the count started at 00:10; 00:29 is only 19 minutes later");
    }

    [Fact]
    public void Step_UnknownLevels_AreNeverReachedAndSkipped()
    {
        var partly = new AlarmLevels(null, 2.0, 2.5); // Cẩm Lệ: alarm I unknown
        Run(partly, (0, 1.8), (1, 2.1), (2, 2.6)).Levels.Should().Equal(0, 2, 3);
        new AlarmLevels(null, null, 1.6).Classify(1.59).Should().Be(0);
        new AlarmLevels(null, null, 1.6).Classify(1.6).Should().Be(3);
    }

    [Fact]
    public void Step_ZeroStepDownTime_StepsDownOnTheFirstReadingBelowTheMargin()
    {
        var options = new FloodLevelOptions { StepDownAfter = TimeSpan.Zero, HysteresisM = 0.05 };
        GaugeLevelState state = ZoneLevelTracker.Step(default, s_levels, Minute(0), 2.2, options);
        ZoneLevelTracker.Step(state, s_levels, Minute(1), 1.97, options).Level.Should().Be(2);
        ZoneLevelTracker.Step(state, s_levels, Minute(1), 1.9, options).Level.Should().Be(1);
    }

    [Fact]
    public void ZoneLevel_KOfN_IsTheKthHighestHeldLevel()
    {
        GaugeLevelState[] gauges = [new(3, 1, 0, 0), new(1, 1, 0, 0), new(2, 1, 0, 0)];

        ZoneLevelTracker.ZoneLevel(gauges, 1).Should().Be(3);
        ZoneLevelTracker.ZoneLevel(gauges, 2).Should().Be(2);
        ZoneLevelTracker.ZoneLevel(gauges, 3).Should().Be(1);
        ZoneLevelTracker.ZoneLevel(gauges.AsSpan(0, 1), 2).Should().Be(0, "fewer gauges than k are never in alarm");
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 }, 1, 0)]
    [InlineData(new byte[] { 3, 0, 0 }, 1, 3)]
    [InlineData(new byte[] { 3, 0, 0 }, 2, 0)]
    [InlineData(new byte[] { 3, 1, 0 }, 2, 1)]
    [InlineData(new byte[] { 3, 2, 2 }, 2, 2)]
    [InlineData(new byte[] { 3, 3, 2 }, 3, 2)]
    [InlineData(new byte[] { 3, 3, 3 }, 3, 3)]
    public void ZoneLevel_IsHighestLevelReachedByAtLeastKGauges(byte[] levels, int k, int expected)
    {
        GaugeLevelState[] gauges = Array.ConvertAll(levels, static l => new GaugeLevelState(l, 1, 0, 0));

        ZoneLevelTracker.ZoneLevel(gauges, k).Should().Be(expected);
    }
}
