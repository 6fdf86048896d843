using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Resilience.TestKit;

/// <summary>
/// Hands out loopback TCP ports for the servers a test starts (silos, brokers, influxd, redis, postgres).
/// </summary>
/// <remarks>
/// A port read back from a bind to port 0 lies in the kernel's ephemeral range
/// (<c>/proc/sys/net/ipv4/ip_local_port_range</c>, 32768–60999 by default). Between the moment the test releases it
/// and the moment the server binds it, any outgoing connection on the machine may be given it as its source port;
/// CI lost a run to that ("address already in use" on a silo's HTTP port). So ports come from below the ephemeral
/// range, which the kernel never hands out by itself, and test processes running at the same time (dotnet test runs
/// the test assemblies in parallel) never share one: each process claims blocks of ports by holding an exclusive
/// lock on a file per block, which the kernel drops when the process ends, even on a crash. Within a claimed block a
/// port is still checked with a bind before it is handed out, and none is handed out twice.
/// </remarks>
public static class FreePort
{
    private const int BlockSize = 32;
    private const int LowestPort = 10000;

    private static readonly object Gate = new();
    private static readonly List<FileStream> ClaimedBlocks = [];
    private static readonly (int Low, int HighExclusive) Range = ChooseRange();
    private static int _nextPort;
    private static int _blockEnd;

    /// <summary>A loopback port nothing listens on, that no other test process was or will be given.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            int blockCount = (Range.HighExclusive - Range.Low) / BlockSize;
            for (int tries = 0; tries <= blockCount; tries++)
            {
                while (_nextPort < _blockEnd)
                {
                    int port = _nextPort++;
                    if (IsFree(port))
                    {
                        return port;
                    }
                }

                ClaimBlock(blockCount);
            }

            throw new InvalidOperationException(
                $"No free loopback port left in {Range.Low}–{Range.HighExclusive - 1} for this test process.");
        }
    }

    /// <summary>The lock file of the block <paramref name="port"/> belongs to.</summary>
    public static string BlockLockPath(int port) =>
        Path.Combine(LockDirectory, "block-" + (Range.Low + ((port - Range.Low) / BlockSize * BlockSize)).ToString(CultureInfo.InvariantCulture));

    private static string LockDirectory => Path.Combine(Path.GetTempPath(), "resilience-test-ports");

    private static void ClaimBlock(int blockCount)
    {
        Directory.CreateDirectory(LockDirectory);
        int start = Random.Shared.Next(blockCount);
        for (int i = 0; i < blockCount; i++)
        {
            int block = (start + i) % blockCount;
            int low = Range.Low + (block * BlockSize);
            FileStream claim;
            try
            {
                // FileShare.None takes an exclusive flock on Unix: another process, or this one on a block it already
                // holds, fails here.
                claim = new FileStream(BlockLockPath(low), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            ClaimedBlocks.Add(claim);
            _nextPort = low;
            _blockEnd = low + BlockSize;
            return;
        }

        _nextPort = _blockEnd = 0;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen(1);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int, int) ChooseRange()
    {
        int ephemeralLow = 32768;
        try
        {
            string text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            string[] parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 1 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low))
            {
                ephemeralLow = low;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        int high = Math.Min(ephemeralLow, 65536);
        if (high - LowestPort < 64 * BlockSize)
        {
            // An ephemeral range that starts unusually low: take the ports above it instead.
            return (Math.Max(LowestPort, 61000), 65536 - ((65536 - Math.Max(LowestPort, 61000)) % BlockSize));
        }

        return (LowestPort, high - ((high - LowestPort) % BlockSize));
    }
}
