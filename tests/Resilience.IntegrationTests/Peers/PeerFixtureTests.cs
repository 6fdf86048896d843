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
}
