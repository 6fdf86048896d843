using Resilience.TestKit;

namespace Resilience.IntegrationTests.Simulators;

/// <summary>A real <c>mosquitto_sub -v</c> process; lines are "topic payload".</summary>
internal sealed class MosquittoSubscriber : IAsyncDisposable
{
    private const string ProbeTopic = "probe/ready";
    private readonly ExternalProcess _process;

    private MosquittoSubscriber(ExternalProcess process)
    {
        _process = process;
    }

    public static MosquittoSubscriber Start(int port, params string[] filters)
    {
        string exe = ExternalProcess.Which("mosquitto_sub")
            ?? throw new InvalidOperationException("mosquitto_sub is not installed; ./test.sh installs it (apt-get install mosquitto-clients).");
        var args = new List<string> { "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-v", "-t", ProbeTopic };
        foreach (string f in filters)
        {
            args.Add("-t");
            args.Add(f);
        }

        return new MosquittoSubscriber(ExternalProcess.Start(exe, args));
    }

    /// <summary>Lines received on topics starting with <paramref name="prefix"/>.</summary>
    public List<string> Lines(string prefix) =>
        [.. _process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>Publishes probes until the subscriber shows one, so nothing published afterwards is missed.</summary>
    public async Task WaitUntilSubscribedAsync(Func<Task> publishProbe, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (Lines(ProbeTopic).Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("mosquitto_sub never received the probe:\n" + _process.Output);
            }

            await publishProbe();
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Polls until <paramref name="count"/> lines with <paramref name="prefix"/> arrived (or 60 s pass).</summary>
    public async Task<int> WaitForAsync(string prefix, long count, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        int seen;
        while ((seen = Lines(prefix).Count) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, cancellationToken);
        }

        return seen;
    }

    public static ReadOnlyMemory<byte> ProbeTopicUtf8 => "probe/ready"u8.ToArray();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
