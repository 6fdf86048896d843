using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;
using Resilience.Alerts.Storage;
using Resilience.Silo.Persistence;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Storage;

/// <summary>
/// <see cref="RelationalGrainStorage"/> behaves the same on real SQLite and real PostgreSQL
/// (<see cref="SqliteGrainStorageTests"/>, <see cref="PostgresGrainStorageTests"/>): state round-trips through
/// Orleans' serializer, ETags stop stale writers, and two writers racing on one ETag never both win.
/// </summary>
public abstract class GrainStorageTests
{
    private static readonly ServiceProvider s_services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private static readonly GrainId s_grain = GrainId.Create("sensor", "dn-camle-wl");

    private protected abstract Task<Func<StateDatabase>> NewDatabaseAsync();

    [Fact]
    public async Task WriteThenRead_InANewStorage_RoundTripsStateAndETag()
    {
        Func<StateDatabase> open = await NewDatabaseAsync();
        var written = new TestState<List<double>>(null, [1.25, 2.5]);
        await using (RelationalGrainStorage storage = Create(open))
        {
            await storage.WriteStateAsync("sensor", s_grain, written);
            await storage.WriteStateAsync("sensor", s_grain, written);
        }

        await using RelationalGrainStorage again = Create(open); // schema creation a second time, data kept
        var read = new TestState<List<double>>(null, null!);
        await again.ReadStateAsync("sensor", s_grain, read);

        read.RecordExists.Should().BeTrue();
        read.State.Should().Equal(1.25, 2.5);
        read.ETag.Should().Be("2").And.Be(written.ETag);
    }

    [Fact]
    public async Task Read_Missing_NoRecordAndNoETag()
    {
        await using RelationalGrainStorage storage = Create(await NewDatabaseAsync());
        var read = new TestState<string>("stale", "left over");

        await storage.ReadStateAsync("sensor", GrainId.Create("sensor", "nobody"), read);

        read.RecordExists.Should().BeFalse();
        read.ETag.Should().BeNull();
    }

    [Fact]
    public async Task Write_WithAStaleETag_ThrowsAndKeepsTheNewerState()
    {
        await using RelationalGrainStorage storage = Create(await NewDatabaseAsync());
        var current = new TestState<string>(null, "v1");
        await storage.WriteStateAsync("sensor", s_grain, current);
        var stale = new TestState<string>(current.ETag, "stale");
        current.State = "v2";
        await storage.WriteStateAsync("sensor", s_grain, current);

        Func<Task> act = () => storage.WriteStateAsync("sensor", s_grain, stale);

        (await act.Should().ThrowAsync<InconsistentStateException>()).Which.StoredEtag.Should().Be("2");
        var read = new TestState<string>(null, null!);
        await storage.ReadStateAsync("sensor", s_grain, read);
        read.State.Should().Be("v2");
    }

    [Fact]
    public async Task Write_TwoActivationsRaceOnOneETag_ExactlyOneWins()
    {
        Func<StateDatabase> open = await NewDatabaseAsync();
        await using RelationalGrainStorage siloA = Create(open);
        await using RelationalGrainStorage siloB = Create(open);
        var first = new TestState<string>(null, "created");
        await siloA.WriteStateAsync("sensor", s_grain, first);

        for (int round = 0; round < 10; round++)
        {
            var a = new TestState<string>(first.ETag, "a" + round);
            var b = new TestState<string>(first.ETag, "b" + round);
            Task[] writes = [Task.Run(() => siloA.WriteStateAsync("sensor", s_grain, a), TestContext.Current.CancellationToken), Task.Run(() => siloB.WriteStateAsync("sensor", s_grain, b), TestContext.Current.CancellationToken)];
            try
            {
                await Task.WhenAll(writes);
            }
            catch (InconsistentStateException)
            {
            }

            writes.Count(w => w.IsCompletedSuccessfully).Should().Be(1, $"round {round}: one write per ETag");
            writes.Single(w => !w.IsCompletedSuccessfully).Exception!.InnerException.Should().BeOfType<InconsistentStateException>();
            first = writes[0].IsCompletedSuccessfully ? a : b;
        }

        var read = new TestState<string>(null, null!);
        await siloB.ReadStateAsync("sensor", s_grain, read);
        read.ETag.Should().Be("11");
        read.State.Should().Be(first.State);
    }

    [Fact]
    public async Task FirstWrite_TwoActivationsRace_OneCreatesTheOtherConflicts()
    {
        Func<StateDatabase> open = await NewDatabaseAsync();
        await using RelationalGrainStorage siloA = Create(open);
        await using RelationalGrainStorage siloB = Create(open);
        var a = new TestState<string>(null, "a");
        var b = new TestState<string>(null, "b");

        Task[] writes = [Task.Run(() => siloA.WriteStateAsync("zone", s_grain, a), TestContext.Current.CancellationToken), Task.Run(() => siloB.WriteStateAsync("zone", s_grain, b), TestContext.Current.CancellationToken)];
        try
        {
            await Task.WhenAll(writes);
        }
        catch (InconsistentStateException)
        {
        }

        writes.Count(w => w.IsCompletedSuccessfully).Should().Be(1);
    }

    [Fact]
    public async Task Clear_ThenWriteAgain_StartsFromNothing_AndAStaleClearFails()
    {
        await using RelationalGrainStorage storage = Create(await NewDatabaseAsync());
        var state = new TestState<string>(null, "x");
        await storage.WriteStateAsync("sensor", s_grain, state);
        var stale = new TestState<string>(state.ETag, "x");
        await storage.WriteStateAsync("sensor", s_grain, state);

        Func<Task> staleClear = () => storage.ClearStateAsync("sensor", s_grain, stale);
        await staleClear.Should().ThrowAsync<InconsistentStateException>();

        await storage.ClearStateAsync("sensor", s_grain, state);
        state.RecordExists.Should().BeFalse();
        state.ETag.Should().BeNull();
        await storage.WriteStateAsync("sensor", s_grain, state);
        state.ETag.Should().Be("1");
    }

    [Fact]
    public async Task Write_ForgedETag_IsRefused()
    {
        await using RelationalGrainStorage storage = Create(await NewDatabaseAsync());

        Func<Task> act = () => storage.WriteStateAsync("sensor", s_grain, new TestState<string>("'; DROP TABLE orleans_grain_state; --", "x"));

        await act.Should().ThrowAsync<InconsistentStateException>();
    }

    [Fact]
    public async Task Scan_ReturnsEveryStateOfOneNameWithoutActivating()
    {
        await using RelationalGrainStorage storage = Create(await NewDatabaseAsync());
        for (int i = 0; i < 50; i++)
        {
            await storage.WriteStateAsync("sensor", GrainId.Create("sensor", $"s{i}"), new TestState<int>(null, i));
        }

        await storage.WriteStateAsync("zone", GrainId.Create("zone", "z"), new TestState<int>(null, -1));

        var seen = new Dictionary<string, int>();
        await foreach (KeyValuePair<string, int> pair in storage.ScanAsync<int>("sensor", TestContext.Current.CancellationToken))
        {
            seen[pair.Key] = pair.Value;
        }

        seen.Should().HaveCount(50);
        seen["sensor/s7"].Should().Be(7);
    }

    private static RelationalGrainStorage Create(Func<StateDatabase> open) =>
        new(open(), s_services.GetRequiredService<Serializer>(), NullLogger<RelationalGrainStorage>.Instance);

    private sealed class TestState<T>(string? etag, T state) : IGrainState<T>
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public T State { get; set; } = state;

        public string? ETag { get; set; } = etag;

        public bool RecordExists { get; set; }
    }
}

[Trait("Category", "Integration")]
public sealed class SqliteGrainStorageTests : GrainStorageTests, IDisposable
{
    private readonly TempDirectory _dir = new("grains");

    public void Dispose() => _dir.Dispose();

    private protected override Task<Func<StateDatabase>> NewDatabaseAsync()
    {
        string path = Path.Combine(_dir.Path, Guid.NewGuid().ToString("N") + ".db");
        return Task.FromResult<Func<StateDatabase>>(() => new SqliteStateDatabase(path));
    }
}

[Trait("Category", "Integration")]
public sealed class PostgresGrainStorageTests(PostgresClassFixture postgres) : GrainStorageTests, IClassFixture<PostgresClassFixture>
{
    private protected override async Task<Func<StateDatabase>> NewDatabaseAsync()
    {
        string connectionString = await postgres.NewDatabaseAsync();
        return () => new PostgresStateDatabase(connectionString);
    }
}
