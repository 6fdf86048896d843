using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Dispatch;
using Resilience.TestKit;

namespace Resilience.Alerts.Tests.Dispatch;

public sealed class AlertStreamHubTests
{
    private static AlertStreamHub Hub(int total, int perAddress) =>
        new(Options.Create(new AlertsOptions { Stream = new AlertStreamOptions { MaxClients = total, MaxClientsPerAddress = perAddress } }));

    [Fact]
    public void TwoThousandAnonymousStreams_AreCappedInTotalAndPerAddress()
    {
        AlertStreamHub hub = Hub(total: 500, perAddress: 8);
        var verdicts = new List<AlertStreamAdmission>();
        var subscriptions = new List<AlertStreamSubscription>();
        for (int i = 0; i < 2000; i++)
        {
            // The audit opened 2,000 streams; here from 250 addresses, 8 each.
            verdicts.Add(hub.TrySubscribe("192.0.2." + (i % 250).ToString(System.Globalization.CultureInfo.InvariantCulture), out AlertStreamSubscription? s));
            if (s is not null)
            {
                subscriptions.Add(s);
            }
        }

        hub.Count.Should().Be(500);
        verdicts.Count(v => v == AlertStreamAdmission.Admitted).Should().Be(500);
        verdicts.Should().Contain(AlertStreamAdmission.Full);

        subscriptions[0].Dispose();
        hub.TrySubscribe("198.51.100.1", out AlertStreamSubscription? next).Should().Be(AlertStreamAdmission.Admitted, "a closed stream frees its place");
        next.Should().NotBeNull();
    }

    [Fact]
    public void OneAddress_GetsAtMostItsShare()
    {
        AlertStreamHub hub = Hub(total: 100, perAddress: 3);

        AlertStreamAdmission[] verdicts = [.. Enumerable.Range(0, 5).Select(i => hub.TrySubscribe("203.0.113.5", out _))];

        verdicts.Should().Equal(AlertStreamAdmission.Admitted, AlertStreamAdmission.Admitted, AlertStreamAdmission.Admitted,
            AlertStreamAdmission.TooManyFromAddress, AlertStreamAdmission.TooManyFromAddress);
        hub.TrySubscribe("203.0.113.6", out _).Should().Be(AlertStreamAdmission.Admitted);
    }

    [Fact]
    public void Publish_SameSeqTwice_ReachesClientsOnce()
    {
        var hub = new AlertStreamHub();
        using AlertStreamSubscription client = hub.Subscribe();

        hub.Publish(new AlertStreamEvent(11, "alert", "{}", "{}")).Should().BeTrue();
        hub.Publish(new AlertStreamEvent(10, "alert", "{}", "{}")).Should().BeTrue("a lower seq that was not sent yet goes out");
        hub.Publish(new AlertStreamEvent(11, "alert", "{}", "{}")).Should().BeFalse("the silo's own commit and its feed both publish it");

        client.Channel.Reader.Count.Should().Be(2);
    }

    [Fact]
    public void SettledMark_InOrder_IsEachEntrysNumber()
    {
        var hub = new AlertStreamHub();
        using AlertStreamSubscription client = hub.Subscribe();

        foreach (long seq in new long[] { 5, 6, 7 })
        {
            hub.Publish(new AlertStreamEvent(seq, "alert", "{}", "{}"));
        }

        Read(client).Select(e => e.Settled).Should().Equal(5, 6, 7);
    }

    [Fact]
    public void SettledMark_StaysBelowALateNumber_UntilItArrives()
    {
        var hub = new AlertStreamHub();
        using AlertStreamSubscription client = hub.Subscribe();

        hub.Publish(new AlertStreamEvent(5, "alert", "{}", "{}"));
        hub.Publish(new AlertStreamEvent(7, "alert", "{}", "{}")); // 6 committed later on another silo
        hub.Publish(new AlertStreamEvent(8, "alert", "{}", "{}"));
        hub.Publish(new AlertStreamEvent(6, "alert", "{}", "{}"));

        Read(client).Select(e => (e.Seq, e.Settled)).Should().Equal((5L, 5L), (7L, 5L), (8L, 5L), (6L, 8L));
    }

    [Fact]
    public void SettledMark_GivesUpANumberMissingForLongerThanTheGraceWindow()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        var hub = new AlertStreamHub(Options.Create(new AlertsOptions()), time);
        using AlertStreamSubscription client = hub.Subscribe();

        hub.Publish(new AlertStreamEvent(5, "alert", "{}", "{}"));
        hub.Publish(new AlertStreamEvent(7, "alert", "{}", "{}")); // 6: a rolled-back transaction, never committed
        time.Advance(new AlertFeedOptions().GraceWindow - TimeSpan.FromSeconds(1));
        hub.Publish(new AlertStreamEvent(8, "alert", "{}", "{}"));
        time.Advance(TimeSpan.FromSeconds(2));
        hub.Publish(new AlertStreamEvent(9, "alert", "{}", "{}"));

        Read(client).Select(e => e.Settled).Should().Equal(5, 5, 5, 9);
    }

    [Fact]
    public void SettledMark_FromTheFollowersStart_WaitsForTheTransactionsStillOpenThen()
    {
        var hub = new AlertStreamHub();
        using AlertStreamSubscription client = hub.Subscribe();

        // The follower started with 1..10 visible except 8 (a transaction still open).
        hub.StartAt(10, [8]);
        hub.Publish(new AlertStreamEvent(11, "alert", "{}", "{}"));
        hub.Publish(new AlertStreamEvent(8, "alert", "{}", "{}"));

        Read(client).Select(e => (e.Seq, e.Settled)).Should().Equal((11L, 7L), (8L, 11L));
        hub.Settled.Should().Be(11);
    }

    private static List<AlertStreamEvent> Read(AlertStreamSubscription client)
    {
        var events = new List<AlertStreamEvent>();
        while (client.Channel.Reader.TryRead(out AlertStreamEvent? e))
        {
            events.Add(e);
        }

        return events;
    }
}
