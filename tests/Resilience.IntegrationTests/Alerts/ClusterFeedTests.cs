using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.IntegrationTests.MqttClient;
using Resilience.IntegrationTests.Storage;
using Resilience.IntegrationTests.Web;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Alerts;

/// <summary>
/// Issue 9, live pushes in a cluster: two silos (the real composition, in process) over one real PostgreSQL ledger,
/// each with its own embedded broker and SSE hub. A change committed through silo A reaches silo B's SSE hub once,
/// in order, with its ledger seq, and B's broker's retained <c>alerts/…</c> topic, through B's
/// <see cref="AlertFeedFollower"/>; an older version arriving late never replaces the newer retained one; a sequence
/// number that becomes visible after a higher one (a transaction held open while another commits) is still delivered.
/// With an external broker the outbox publishes there and the followers keep the embedded brokers current.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterFeedTests(PostgresClassFixture postgres) : IClassFixture<PostgresClassFixture>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Follower_ChangeCommittedOnA_ReachesBsHubOnceInOrderAndBsRetainedTopic()
    {
        string connectionString = await postgres.NewDatabaseAsync();
        await using InProcessSilo a = await InProcessSilo.StartAsync(ClusterSettings(connectionString));
        await using InProcessSilo b = await InProcessSilo.StartAsync(ClusterSettings(connectionString));
        await WaitFollowingAsync(a, b);
        using AlertStreamSubscription streamB = b.Services.GetRequiredService<AlertStreamHub>().Subscribe();
        var gauge = Gauge("g-feed");

        // Silo A raises the alert and escalates it: versions 1 and 2 in the shared ledger.
        await AlertsHost.FeedLevelsAsync(Alerts(a), Catalog(a), gauge, DateTimeOffset.UtcNow.AddMinutes(-10), [], 1.1, 1.2, 2.1, 2.2);
        AlertRecord alert = (await Alerts(a).OpenAlertsAsync(gauge.Id, Ct)).Single();
        alert.Version.Should().Be(2);
        long[] ledgerSeqs = [.. (await Alerts(a).HistoryAsync(alert.Id, Ct)).Select(e => e.Seq)];
        ledgerSeqs.Should().HaveCount(2);

        List<AlertStreamEvent> onB = await ReadAsync(streamB, 2);
        onB.Select(e => e.Seq).Should().Equal(ledgerSeqs, "B's hub gets A's changes in order, with the ledger's seq as the SSE id");
        onB.Select(e => Version(e.PublicJson)).Should().Equal(1, 2);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct); // five polls more
        streamB.Channel.Reader.Count.Should().Be(0, "each seq reaches the hub once");

        // Both silos' brokers carry the latest version, retained: B through its follower, A through its own (the
        // outbox queued nothing for MQTT: with embedded brokers and a shared ledger the followers own alerts/#).
        string topic = $"alerts/danang/{gauge.Id}";
        (await ReadRetainedAsync(b.MqttPort, topic, json => Version(json) == 2)).Should().Be(2);
        (await ReadRetainedAsync(a.MqttPort, topic, json => Version(json) == 2)).Should().Be(2);
        (await ScalarAsync(connectionString, "SELECT COUNT(*) FROM outbox WHERE channel = 'mqtt'")).Should().Be(0);

        // A stale writer appends version 1 again, late (a higher seq): B's hub shows the entry, the topic keeps v2.
        AlertEvent first = (await Alerts(a).HistoryAsync(alert.Id, Ct))[0];
        long staleSeq = await InsertEventAsync(connectionString, first.Alert, hold: null);
        AlertStreamEvent stale = (await ReadAsync(streamB, 1)).Single();
        stale.Seq.Should().Be(staleSeq);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Ct); // the follower's publish (or refusal) follows the hub's in the same poll
        (await ReadRetainedAsync(b.MqttPort, topic, _ => true)).Should().Be(2, "an older version never replaces a newer retained one");

        // A silo that joins later (a fresh broker) republishes the open alert's current state at start.
        await using InProcessSilo c = await InProcessSilo.StartAsync(ClusterSettings(connectionString));
        await WaitFollowingAsync(c);
        (await ReadRetainedAsync(c.MqttPort, topic, json => Version(json) == 2)).Should().Be(2);
    }

    [Fact]
    public async Task Follower_SeqVisibleAfterAHigherOne_IsStillDelivered()
    {
        string connectionString = await postgres.NewDatabaseAsync();
        await using InProcessSilo a = await InProcessSilo.StartAsync(ClusterSettings(connectionString));
        await using InProcessSilo b = await InProcessSilo.StartAsync(ClusterSettings(connectionString));
        await WaitFollowingAsync(a, b);
        using AlertStreamSubscription streamB = b.Services.GetRequiredService<AlertStreamHub>().Subscribe();

        // Another writer takes seq n and holds its transaction open...
        await using HeldEntry late = await HeldEntry.InsertAsync(connectionString, 9_999, "g-late", AlertSeverity.Minor, 1.2);
        long lateSeq = late.Seq;

        // ...while silo A commits seq n+1, which B sees first.
        await AlertsHost.FeedLevelsAsync(Alerts(a), Catalog(a), Gauge("g-order"), DateTimeOffset.UtcNow.AddMinutes(-10), [], 1.1, 1.2);
        AlertStreamEvent first = (await ReadAsync(streamB, 1)).Single();
        first.Seq.Should().BeGreaterThan(lateSeq);
        await Task.Delay(TimeSpan.FromMilliseconds(600), Ct);
        streamB.Channel.Reader.Count.Should().Be(0, "seq n is not visible yet");

        await late.CommitAsync();
        AlertStreamEvent second = (await ReadAsync(streamB, 1)).Single();
        second.Seq.Should().Be(lateSeq, "the follower keeps looking for the missing seq and delivers it once it commits");
        (await ReadRetainedAsync(b.MqttPort, "alerts/danang/g-late", json => Version(json) == 1)).Should().Be(1);
        await Task.Delay(TimeSpan.FromMilliseconds(600), Ct);
        streamB.Channel.Reader.Count.Should().Be(0);
    }

    [Fact]
    public async Task SseClient_DisconnectedBeforeALateEntryArrives_GetsItWhenItResumes()
    {
        string connectionString = await postgres.NewDatabaseAsync();
        await using InProcessSilo a = await InProcessSilo.StartAsync(ClusterSettings(connectionString));
        await using InProcessSilo b = await InProcessSilo.StartAsync(ClusterSettings(connectionString));
        await WaitFollowingAsync(a, b);
        using HttpClient http = b.CreateClient();
        http.Timeout = Timeout.InfiniteTimeSpan;

        // An operator's console follows silo B.
        HttpResponseMessage stream = await http.GetAsync(new Uri("/api/alerts/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(Ct));

        // Another writer takes seq n and holds its transaction open while silo A commits seq n+1.
        await using HeldEntry late = await HeldEntry.InsertAsync(connectionString, 9_998, "g-late-resume", AlertSeverity.Severe, 2.9);
        long lateSeq = late.Seq;
        await AlertsHost.FeedLevelsAsync(Alerts(a), Catalog(a), Gauge("g-resume"), DateTimeOffset.UtcNow.AddMinutes(-10), [], 1.1, 1.2);
        AlertApiTests.SseEvent first = (await AlertApiTests.ReadEventsAsync(reader, 1, Ct)).Single();
        long resumeFrom = long.Parse(first.Id, CultureInfo.InvariantCulture);
        resumeFrom.Should().BeLessThan(lateSeq, "the stream's resume mark stays below a number that has not arrived");

        // The console drops (a laptop lid, a mobile network) and the late entry commits meanwhile.
        reader.Dispose();
        stream.Dispose();
        await late.CommitAsync();

        // It resumes with the id it had: the late entry comes, and the one it had may come again.
        using var resume = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/alerts/stream", UriKind.Relative));
        resume.Headers.Add("Last-Event-ID", first.Id);
        using HttpResponseMessage resumed = await http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var resumedReader = new StreamReader(await resumed.Content.ReadAsStreamAsync(Ct));
        List<AlertApiTests.SseEvent> replayed = await AlertApiTests.ReadEventsAsync(resumedReader, 2, Ct);
        replayed.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("subject").GetString())
            .Should().Contain("g-late-resume", "an entry committed late is replayed, not skipped");
        replayed.Select(e => long.Parse(e.Id, CultureInfo.InvariantCulture)).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task Follower_WithExternalBroker_OutboxPublishesThereAndFollowersFeedTheEmbeddedBrokers()
    {
        string connectionString = await postgres.NewDatabaseAsync();
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        Dictionary<string, string?> settings = ClusterSettings(connectionString);
        settings["Resilience:Mqtt:External:Host"] = "127.0.0.1";
        settings["Resilience:Mqtt:External:Port"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture);

        // Each silo needs its own client id (docs/architecture.md): the default is the machine's name, the same for
        // two silos on one machine, and mosquitto hands a session to the newer connection each time, so the two
        // silos' publishers kept disconnecting each other (CI saw no delivery within 20 s).
        await using InProcessSilo a = await InProcessSilo.StartAsync(new Dictionary<string, string?>(settings) { ["Resilience:Mqtt:External:ClientId"] = "feed-test-a" });
        await using InProcessSilo b = await InProcessSilo.StartAsync(new Dictionary<string, string?>(settings) { ["Resilience:Mqtt:External:ClientId"] = "feed-test-b" });
        await WaitFollowingAsync(a, b);

        await AlertsHost.FeedLevelsAsync(Alerts(a), Catalog(a), Gauge("g-external"), DateTimeOffset.UtcNow.AddMinutes(-10), [], 1.1, 1.2, 2.1, 2.2);

        // The one shared broker gets every version through the outbox (delivered once each, by whichever silo)...
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        long delivered;
        while ((delivered = await ScalarAsync(connectionString, "SELECT COUNT(*) FROM outbox WHERE channel = 'mqtt' AND status = 1")) < 2 && deadline.Elapsed < s_wait)
        {
            await Task.Delay(100, Ct);
        }

        delivered.Should().Be(2);
        string topic = "alerts/danang/g-external";
        (await ReadRetainedAsync(mosquitto.Port, topic, json => Version(json) == 2)).Should().Be(2);

        // ...and each silo's embedded broker through its own follower.
        (await ReadRetainedAsync(b.MqttPort, topic, json => Version(json) == 2)).Should().Be(2);
        (await ReadRetainedAsync(a.MqttPort, topic, json => Version(json) == 2)).Should().Be(2);
    }

    /// <summary>A cluster silo's settings: the shared ledger, a quick feed.</summary>
    internal static Dictionary<string, string?> ClusterSettings(string connectionString) => new()
    {
        ["Resilience:Storage:Provider"] = "postgres",
        ["Resilience:Storage:ConnectionString"] = connectionString,
        ["Resilience:Alerts:Feed:PollInterval"] = "00:00:00.100",
        ["Resilience:Alerts:Dispatch:AcknowledgeTimeout"] = "03:00:00",
    };

    private static IAlertService Alerts(InProcessSilo silo) => silo.Services.GetRequiredService<IAlertService>();

    private static AlertRuleCatalog Catalog(InProcessSilo silo) => silo.Services.GetRequiredService<AlertRuleCatalog>();

    private static AlertSubject Gauge(string id) => new() { Id = id, Province = "danang", Name = id, Lat = 16.0, Lon = 108.2 };

    private static int Version(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("version").GetInt32();
    }

    private static async Task WaitFollowingAsync(params InProcessSilo[] silos) =>
        await AlertDispatchTests.WaitUntilAsync(() => silos.All(s => s.Services.GetRequiredService<AlertFeedFollower>().Following), s_wait);

    private static async Task<List<AlertStreamEvent>> ReadAsync(AlertStreamSubscription subscription, int count)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(s_wait);
        var events = new List<AlertStreamEvent>();
        while (events.Count < count)
        {
            events.Add(await subscription.Channel.Reader.ReadAsync(cts.Token));
        }

        return events;
    }

    /// <summary>
    /// Subscribes a fresh MQTTnet client to <paramref name="topic"/> on the broker at <paramref name="port"/> and returns
    /// the version of the retained message it gets, retrying (new client) until <paramref name="accept"/> holds.
    /// </summary>
    private static async Task<int> ReadRetainedAsync(int port, string topic, Func<string, bool> accept)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using MqttNetTestClient client = await MqttNetTestClient.ConnectAsync(
                MqttNetTestClient.Options(port, "feed-" + Guid.NewGuid().ToString("N")[..8]), Ct);
            await client.SubscribeAsync(topic, 1, Ct);
            MqttNetTestClient.Received? received = null;
            try
            {
                received = (await client.ReadAsync(1, TimeSpan.FromSeconds(2))).Single();
            }
            catch (TimeoutException) when (deadline.Elapsed < s_wait)
            {
            }

            if (received is not null)
            {
                received.Retain.Should().BeTrue("a new subscriber gets the topic's retained state");
                if (accept(received.Payload) || deadline.Elapsed > s_wait)
                {
                    return Version(received.Payload);
                }
            }

            await Task.Delay(200, Ct);
        }
    }

    /// <summary>
    /// An audit entry of another writer whose transaction stays open until <see cref="CommitAsync"/>: its sequence
    /// number is taken and not yet visible, as when another silo's commit is slow.
    /// </summary>
    private sealed class HeldEntry : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _transaction;

        private HeldEntry(NpgsqlConnection connection, NpgsqlTransaction transaction, long seq)
        {
            _connection = connection;
            _transaction = transaction;
            Seq = seq;
        }

        public long Seq { get; }

        public static async Task<HeldEntry> InsertAsync(string connectionString, long alertId, string subject, AlertSeverity severity, double value)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(Ct);
            NpgsqlTransaction transaction = await connection.BeginTransactionAsync(Ct);
            var alert = new AlertRecord
            {
                Id = alertId,
                Subject = subject,
                Province = "danang",
                Rule = "water-level",
                Severity = severity,
                State = AlertState.Raised,
                Value = value,
                Version = 1,
                RaisedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            };
            return new HeldEntry(connection, transaction, await InsertEventAsync(connectionString, alert, hold: (connection, transaction)));
        }

        public Task CommitAsync() => _transaction.CommitAsync(Ct);

        public async ValueTask DisposeAsync()
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }

    /// <summary>Appends an audit entry for <paramref name="alert"/> as another writer would; in <paramref name="hold"/>'s open transaction if given.</summary>
    private static async Task<long> InsertEventAsync(string connectionString, AlertRecord alert, (NpgsqlConnection Connection, NpgsqlTransaction Transaction)? hold)
    {
        NpgsqlConnection? own = null;
        NpgsqlConnection connection;
        if (hold is { } h)
        {
            connection = h.Connection;
        }
        else
        {
            own = new NpgsqlConnection(connectionString);
            await own.OpenAsync(Ct);
            connection = own;
        }

        try
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO alert_events(alert_id, version, at, action, actor, note, json) VALUES (@id, @v, @at, 'raised', 'system', NULL, @json) RETURNING seq",
                connection, hold?.Transaction);
            command.Parameters.AddWithValue("id", alert.Id);
            command.Parameters.AddWithValue("v", alert.Version);
            command.Parameters.AddWithValue("at", alert.UpdatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("json", AlertStore.Serialize(alert));
            return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }
}
