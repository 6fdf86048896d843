using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Dispatch;

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
}
