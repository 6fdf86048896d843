using Resilience.TestKit;

namespace Resilience.IntegrationTests.Storage;

/// <summary>One real PostgreSQL server per test class; each test takes its own fresh database.</summary>
public sealed class PostgresClassFixture : IAsyncLifetime
{
    private int _databases;

    public PostgresProcess Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await PostgresProcess.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        string name = "t" + Interlocked.Increment(ref _databases).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (var connection = new Npgsql.NpgsqlConnection(Server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = name }.ConnectionString;
    }
}
