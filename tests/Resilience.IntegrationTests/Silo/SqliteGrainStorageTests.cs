using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Silo.Grains;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Silo;

/// <summary>Grain state through the real SQLite file in a temp directory.</summary>
[Trait("Category", "Integration")]
public sealed class SqliteGrainStorageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WriteThenReopen_ReadsTheSameBytes()
    {
        using var dir = new TempDirectory("grain-db");
        await using (var storage = new SqliteGrainStorage(dir.Path, NullLogger<SqliteGrainStorage>.Instance))
        {
            await storage.WriteAsync("sensor", "a", [1, 2, 3], Ct);
            await storage.WriteAsync("sensor", "a", [4, 5], Ct);
            await storage.WriteAsync("zone", "a", [9], Ct);
            await storage.WriteAsync("sensor", "gone", [7], Ct);
            await storage.ClearAsync("sensor", "gone", Ct);
        }

        await using var reopened = new SqliteGrainStorage(dir.Path, NullLogger<SqliteGrainStorage>.Instance);
        (await reopened.ReadAsync("sensor", "a", Ct)).Should().Equal(4, 5);
        (await reopened.ReadAsync("zone", "a", Ct)).Should().Equal(9);
        (await reopened.ReadAsync("sensor", "gone", Ct)).Should().BeNull();
        (await reopened.ReadAsync("sensor", "never", Ct)).Should().BeNull();
    }

    [Fact]
    public async Task ManyConcurrentWrites_AreBatchedAndAllDurable()
    {
        using var dir = new TempDirectory("grain-db");
        await using (var storage = new SqliteGrainStorage(dir.Path, NullLogger<SqliteGrainStorage>.Instance))
        {
            var writes = new Task[20_000];
            for (int i = 0; i < writes.Length; i++)
            {
                writes[i] = storage.WriteAsync("sensor", "s" + i, BitConverter.GetBytes(i), Ct).AsTask();
            }

            await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        }

        await using var reopened = new SqliteGrainStorage(dir.Path, NullLogger<SqliteGrainStorage>.Instance);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 20_000; i += 997)
        {
            BitConverter.ToInt32(await reopened.ReadAsync("sensor", "s" + i, Ct)).Should().Be(i);
        }

        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }
}
