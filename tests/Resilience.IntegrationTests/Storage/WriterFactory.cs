using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Ingest.Storage;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Storage;

/// <summary>Creates started writers against a real influxd.</summary>
internal static class WriterFactory
{
    public static InfluxOptions Options(InfluxdProcess server, string dataDirectory, string database = "resilience") => new()
    {
        Url = server.Url.ToString(),
        Database = database,
        DataDirectory = dataDirectory,
        FlushInterval = TimeSpan.FromMilliseconds(100),
        RetryInitialDelay = TimeSpan.FromMilliseconds(100),
        RetryMaxDelay = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(10),
        Spool = new SpoolOptions { Durability = SpoolDurability.FsyncPerBatch },
    };

    public static InfluxPointWriter Start(InfluxOptions options)
    {
        var writer = new InfluxPointWriter(options, TimeProvider.System, NullLogger.Instance);
        writer.Start();
        return writer;
    }

    public static async Task CreateDatabaseAsync(InfluxdProcess server, string database)
    {
        (await server.QueryAsync($"CREATE DATABASE \"{database}\"", method: HttpMethod.Post)).Dispose();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return await condition();
    }
}
