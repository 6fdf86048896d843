using System.Net.Sockets;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Peers;

/// <summary>The real peers the suite relies on start, answer and stop on their own ports.</summary>
[Trait("Category", "Integration")]
public sealed class PeerFixtureTests
{
    [Fact]
    public async Task InfluxdProcess_StartWriteQuery_CountsThePoint()
    {
        await using InfluxdProcess influx = await InfluxdProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = influx.Url };
        using var body = new StringContent("water,province=danang,sensor=s1,zone=z1 level=1.5 1763780100000000000\n");
        using HttpResponseMessage response = await http.PostAsync(new Uri("/write?db=resilience", UriKind.Relative), body, TestContext.Current.CancellationToken);

        ((int)response.StatusCode).Should().Be(204, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        (await influx.CountAsync("water", "level")).Should().Be(1);
    }

    [Fact]
    public async Task MosquittoProcess_StopAndStartAgain_ListensOnTheSamePort()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        await broker.StopAsync();
        await broker.StartAgainAsync();

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", broker.Port, TestContext.Current.CancellationToken);
        client.Connected.Should().BeTrue();
    }

    [Fact]
    public async Task RedisProcess_StartPingStop_AnswersThenFreesThePort()
    {
        RedisProcess redis = await RedisProcess.StartAsync();
        int port = redis.Port;
        await using (redis)
        {
            (await RespAsync(port, "PING\r\n")).Should().Be("+PONG");
            (await RespAsync(port, "SET k v\r\n")).Should().Be("+OK");
            (await RespAsync(port, "GET k\r\n")).Should().Be("$1");
            await redis.StopAsync();
            redis.IsRunning.Should().BeFalse();
        }

        Func<Task> connect = async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        };
        await connect.Should().ThrowAsync<SocketException>();
    }

    [Fact]
    public async Task PostgresProcess_StartQueryStopStartAgain_KeepsData()
    {
        await using PostgresProcess pg = await PostgresProcess.StartAsync();
        string unpooled = pg.ConnectionString + ";Pooling=false"; // a pooled session would not survive the restart
        await using (var connection = new Npgsql.NpgsqlConnection(unpooled))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new Npgsql.NpgsqlCommand("CREATE TABLE t(x int); INSERT INTO t VALUES (42);", connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await pg.StopAsync();
        pg.IsRunning.Should().BeFalse();
        await pg.StartAgainAsync();

        await using (var connection = new Npgsql.NpgsqlConnection(unpooled))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var query = new Npgsql.NpgsqlCommand("SELECT x FROM t", connection);
            (await query.ExecuteScalarAsync(TestContext.Current.CancellationToken)).Should().Be(42);
            await using var user = new Npgsql.NpgsqlCommand("SELECT current_setting('data_directory')", connection);
            (await user.ExecuteScalarAsync(TestContext.Current.CancellationToken)).Should().Be(pg.DataDirectory);
        }
    }

    private static async Task<string> RespAsync(int port, string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        using NetworkStream stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command), TestContext.Current.CancellationToken);
        var buffer = new byte[256];
        int n = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
    }
}
