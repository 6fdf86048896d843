using Resilience.TestKit;

namespace Resilience.IntegrationTests.AlertsPipeline;

/// <summary>
/// Acceptance through the real pipeline: readings published over MQTT to the silo's embedded broker, decoded,
/// recorded by the sensor grains, rules evaluated in the grains, alerts read back over HTTP. Time is the
/// readings' <c>ts</c>, so hours of scenario take seconds.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AlertsPipelineTests(AlertsPipelineFixture fixture) : IClassFixture<AlertsPipelineFixture>
{
    [Theory]
    [InlineData("level-I-II-III-and-back")]
    [InlineData("hysteresis")]
    [InlineData("oscillation-does-not-flap")]
    [InlineData("duration-and-consecutive")]
    [InlineData("rate-of-rise")]
    [InlineData("zone-k-of-n")]
    [InlineData("zone-holds-through-oscillation")]
    [InlineData("rainfall-accumulation")]
    public async Task Scenario_PublishedOverMqtt_RaisesTheExactAlertSequence(string name)
    {
        AlertScenario scenario = AlertScenarios.Get(name);
        var seq = new Dictionary<string, long>(StringComparer.Ordinal);
        var last = new Dictionary<string, AlertScenarioStep>(StringComparer.Ordinal);
        foreach (AlertScenarioStep step in scenario.Steps)
        {
            seq[step.Sensor] = seq.GetValueOrDefault(step.Sensor) + 1;
            await fixture.PublishAsync(Province(scenario, step.Sensor), step.Sensor, step.Quantity, step.Value, fixture.Start + step.At, seq[step.Sensor]);
            last[step.Sensor] = step;
        }

        foreach (AlertScenarioStep step in last.Values)
        {
            await fixture.WaitForLatestAsync(step.Sensor, step.Quantity, fixture.Start + step.At);
        }

        var subjects = scenario.Sensors.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        List<string> timeline = await fixture.WaitForTimelineAsync(subjects, scenario.ObservedRules, scenario.Expected.Count);
        timeline.Should().Equal(scenario.Expected);
    }

    [Fact]
    public async Task OfflineAndSuspect_SilenceAndOutOfRange_RaiseAndClearInOrder()
    {
        AlertScenario scenario = AlertScenarios.Get("offline-and-suspect");
        string id = AlertsPipelineFixture.OfflineSensor;
        string[] rules = ["offline", "suspect"];
        long seq = 0;
        foreach (AlertScenarioStep step in scenario.Steps.Where(s => s.Quantity == "water_level" && s.At < TimeSpan.FromMinutes(10)))
        {
            await fixture.PublishAsync("danang", id, step.Quantity, step.Value, fixture.Start + step.At, ++seq);
        }

        // Silence: the sensor grain's own timer (every 1 s, its reporting interval) finds it silent for 3 s: stale.
        List<string> offline = await fixture.WaitForTimelineAsync([id], rules, 3);
        offline.Should().HaveCount(3);
        offline[0].Should().Be("00:03 dn-hoikhach-wl suspect raised info");
        offline[1].Should().Be("00:06 dn-hoikhach-wl suspect resolved info");
        offline[2].Should().EndWith("dn-hoikhach-wl offline raised minor");

        // The next reading clears it at once.
        AlertScenarioStep back = scenario.Steps[^1];
        await fixture.PublishAsync("danang", id, back.Quantity, back.Value, fixture.Start + back.At, ++seq);
        List<string> timeline = await fixture.WaitForTimelineAsync([id], rules, 4);
        timeline.Should().HaveCount(4);
        timeline.Should().Contain("00:35 dn-hoikhach-wl offline resolved minor", "the stale mark is stamped with the silo's clock, the clearing reading with its own ts");
        timeline.Where(l => l.Contains(" offline ", StringComparison.Ordinal)).Should().HaveCount(2);
    }

    [Fact]
    public async Task AirQuality_PollutedHoursThenClean_FollowsTheBandsWithoutFlapping()
    {
        const string id = "hn-aq-1";
        long seq = 0;
        DateTimeOffset ts = fixture.Start;
        for (int hour = 0; hour < 24; hour++)
        {
            double pm25 = hour is >= 3 and < 9 ? 120.0 : 5.0;
            for (int quarter = 0; quarter < 4; quarter++)
            {
                ts = fixture.Start.AddHours(hour).AddMinutes(quarter * 15);
                await fixture.PublishAsync("hanoi", id, "pm25", pm25, ts, ++seq);
            }
        }

        await fixture.WaitForLatestAsync(id, "pm25", ts);
        List<string> timeline = await fixture.WaitForTimelineAsync([id], ["air-quality"], 4);

        // PM2.5 120 µg/m³ is VN_AQI band "Xấu" (151–200, warning); the grain's NowCast passes through "Kém" (minor)
        // on the way up and down; each step needs 2 readings (15 min apart here).
        timeline.Should().Equal(
            "03:15 hn-aq-1 air-quality raised minor",
            "04:15 hn-aq-1 air-quality escalated warning",
            "09:15 hn-aq-1 air-quality deescalated minor",
            "10:15 hn-aq-1 air-quality resolved minor");
    }

    [Fact]
    public async Task AckAndResolve_AnonymousOnTheRealSilo_Get401()
    {
        using var body = new StringContent("{\"by\":\"intruder\"}", System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage ack = await fixture.Http.PostAsync(new Uri("/api/alerts/1/ack", UriKind.Relative), body, TestContext.Current.CancellationToken);
        using HttpResponseMessage resolve = await fixture.Http.PostAsync(new Uri("/api/alerts/1/resolve", UriKind.Relative), body, TestContext.Current.CancellationToken);
        ack.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
        resolve.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
    }

    private static string Province(AlertScenario scenario, string sensor) =>
        scenario.Sensors.First(s => s.Id == sensor).Province;
}
