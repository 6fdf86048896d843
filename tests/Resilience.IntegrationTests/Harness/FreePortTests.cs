using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Harness;

/// <summary>
/// The ports tests give their servers must not be taken in the meantime: not by an outgoing connection's source port
/// (CI lost a run to that) and not by another test process running at the same time.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void Ports_AreBelowTheKernelsEphemeralRange_AndNeverHandedOutTwice()
    {
        string[] range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        int ephemeralLow = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        int ephemeralHigh = int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture);

        var ports = Enumerable.Range(0, 100).Select(_ => FreePort.Next()).ToList();

        ports.Should().OnlyHaveUniqueItems();
        ports.Should().OnlyContain(p => p < ephemeralLow || p > ephemeralHigh, "the kernel picks source ports from that range");
    }

    [Fact]
    public void APortSomeoneListensOn_IsSkipped()
    {
        // The next port of this process's current block is taken by a listener before it is asked for.
        int probe = FreePort.Next();
        using var squatter = new TcpListener(IPAddress.Loopback, probe + 1);
        squatter.Start();

        int next = FreePort.Next();

        next.Should().NotBe(probe + 1);
        using var listener = new TcpListener(IPAddress.Loopback, next);
        FluentActions.Invoking(listener.Start).Should().NotThrow();
        listener.Stop();
    }

    [Fact]
    public async Task AnotherProcess_CannotClaimTheBlockThisProcessHandsPortsFrom()
    {
        int port = FreePort.Next();
        string lockFile = FreePort.BlockLockPath(port);
        File.Exists(lockFile).Should().BeTrue();

        // util-linux flock(1) asks for even a shared lock on the block: it must be refused while this process holds it.
        using var flock = Process.Start(new ProcessStartInfo("flock", ["--nonblock", "--shared", lockFile, "true"])
        {
            RedirectStandardError = true,
        })!;
        await flock.WaitForExitAsync(TestContext.Current.CancellationToken);

        flock.ExitCode.Should().Be(1, "the block is locked by this test process");
    }
}
