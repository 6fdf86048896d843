using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Tests.Evaluation;

public sealed class AlarmEtaEstimatorTests
{
    private static readonly AlarmLevels s_levels = new(2.5, 3.5, 4.5);
    private static readonly FloodLevelOptions s_options = new();
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    // One reading every 5 minutes for `minutes`, level = f(minute).
    private static LevelSample[] Series(int minutes, Func<int, double> level, int every = 5)
    {
        var list = new List<LevelSample>();
        for (int m = 0; m <= minutes; m += every)
        {
            list.Add(new LevelSample(s_t0.AddMinutes(m).ToUnixTimeMilliseconds(), level(m)));
        }

        return [.. list];
    }

    [Fact]
    public void Estimate_SteadyRise_GivesTheNextLevelRateAndEta()
    {
        // 0.3 m/h for an hour, ending at 3.85 m: alarm III (4.5) is 0.65 m away = 2 h 10 min.
        LevelSample[] samples = Series(60, m => 3.55 + (0.3 * m / 60.0));

        NextAlarm? next = AlarmEtaEstimator.Estimate(samples, s_levels, "g1", s_options);

        next.Should().NotBeNull();
        next!.Level.Should().Be(3);
        next.LevelName.Should().Be("III");
        next.ThresholdM.Should().Be(4.5);
        next.RateMPerHour.Should().Be(0.3);
        next.EtaSeconds.Should().Be(7800);
        next.At.Should().Be(s_t0.AddMinutes(60).AddSeconds(7800));
        next.DurationEn().Should().Be("2 h 10 min");
        next.DurationVi().Should().Be("2 giờ 10 phút");
        next.GaugeId.Should().Be("g1");
    }

    [Fact]
    public void Estimate_NoisyButSteadyRise_StillGivesAnEtaCloseToTheTruth()
    {
        // ± 2 cm of gauge noise on a 0.6 m/h rise.
        LevelSample[] samples = Series(60, m => 1.9 + (0.6 * m / 60.0) + (m % 10 == 0 ? 0.02 : -0.02), every: 1);

        NextAlarm? next = AlarmEtaEstimator.Estimate(samples, s_levels, "g1", s_options);

        next.Should().NotBeNull();
        next!.Level.Should().Be(2, "the gauge has just reached I (2.5): II (3.5) is next");
        next.RateMPerHour.Should().BeApproximately(0.6, 0.03);
        next.EtaSeconds.Should().BeInRange(5700, 6300); // 1 m at 0.6 m/h = 100 min
    }

    [Fact]
    public void Estimate_UnsteadyRise_IsWithheld()
    {
        // A net rise, but in jumps of ± 30 cm: the line explains too little to promise a time.
        LevelSample[] samples = Series(60, m => 2.0 + (0.2 * m / 60.0) + (m % 10 == 0 ? 0.3 : -0.3));

        AlarmEtaEstimator.Estimate(samples, s_levels, "g1", s_options).Should().BeNull();
    }

    [Fact]
    public void Estimate_Falling_GivesNone()
    {
        AlarmEtaEstimator.Estimate(Series(60, m => 3.0 - (0.3 * m / 60.0)), s_levels, "g1", s_options).Should().BeNull();
    }

    [Fact]
    public void Estimate_FlatNoisyGauge_GivesNone()
    {
        AlarmEtaEstimator.Estimate(Series(60, m => 2.0 + (m % 10 == 0 ? 0.02 : -0.02), every: 1), s_levels, "g1", s_options).Should().BeNull();
    }

    [Fact]
    public void Estimate_AlreadyAboveIII_GivesNone()
    {
        AlarmEtaEstimator.Estimate(Series(60, m => 4.6 + (0.3 * m / 60.0)), s_levels, "g1", s_options).Should().BeNull();
    }

    [Fact]
    public void Estimate_NextLevelUnknown_SkipsToTheNextKnownOne()
    {
        var partly = new AlarmLevels(2.5, null, 4.5);
        NextAlarm? next = AlarmEtaEstimator.Estimate(Series(60, m => 3.55 + (0.3 * m / 60.0)), partly, "g1", s_options);
        next!.Level.Should().Be(3);

        AlarmEtaEstimator.Estimate(Series(60, m => 3.55 + (0.3 * m / 60.0)), new AlarmLevels(2.5, 3.5, null), "g1", s_options)
            .Should().BeNull("nothing known lies above 3.5");
    }

    [Fact]
    public void Estimate_TooFewPointsOrTooShortASpan_IsWithheld()
    {
        AlarmEtaEstimator.Estimate(Series(15, m => 2.0 + (0.3 * m / 60.0)), s_levels, "g1", s_options).Should().BeNull("15 minutes < 20");
        AlarmEtaEstimator.Estimate(Series(60, m => 2.0 + (0.3 * m / 60.0), every: 30), s_levels, "g1", s_options).Should().BeNull("3 readings < 5");
        AlarmEtaEstimator.Estimate([], s_levels, "g1", s_options).Should().BeNull();
    }

    [Fact]
    public void Estimate_BeyondTheHorizon_IsWithheld()
    {
        // 0.03 m/h from 2.6: II (3.5) in 30 h, beyond 12 h.
        AlarmEtaEstimator.Estimate(Series(60, m => 2.57 + (0.03 * m / 60.0)), s_levels, "g1", s_options).Should().BeNull();
    }

    [Fact]
    public void Estimate_OnlyTheWindowCounts_AnOldFallIsForgotten()
    {
        // Falling for two hours, then rising steadily for the last hour (the default window).
        LevelSample[] samples = Series(180, m => m < 120 ? 3.4 - (0.5 * m / 60.0) : 2.0 + (0.3 * (m - 120) / 60.0));

        NextAlarm? next = AlarmEtaEstimator.Estimate(samples, s_levels, "g1", s_options);

        next.Should().NotBeNull();
        next!.Level.Should().Be(1);
        next.RateMPerHour.Should().Be(0.3);
    }
}
