using System.Diagnostics.Metrics;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// Counters on the Meter <c>Resilience.Ingest.Pipeline</c> (received, decoded, dead_letters,
/// dead_letters_dropped), also readable as totals for the <c>pipeline</c> measurement and health checks.
/// </summary>
internal sealed class IngestPipelineMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Resilience.Ingest.Pipeline";

    private readonly Counter<long> _received;
    private readonly Counter<long> _decoded;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _deadLettersDropped;
    private long _receivedTotal;
    private long _decodedTotal;
    private long _deadLettersTotal;
    private long _deadLettersDroppedTotal;

    /// <summary>Creates the instruments from <paramref name="meterFactory"/>.</summary>
    public IngestPipelineMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>("received", "{message}", "Messages handed to the ingest pipeline.");
        _decoded = meter.CreateCounter<long>("decoded", "{message}", "Messages decoded and passed on.");
        _deadLetters = meter.CreateCounter<long>("dead_letters", "{message}", "Messages rejected, tagged by reason.");
        _deadLettersDropped = meter.CreateCounter<long>("dead_letters_dropped", "{message}", "Dead letters not written because the writer's queue was full.");
    }

    /// <summary>Messages received so far.</summary>
    public long Received => Interlocked.Read(ref _receivedTotal);

    /// <summary>Messages decoded so far.</summary>
    public long Decoded => Interlocked.Read(ref _decodedTotal);

    /// <summary>Dead letters so far.</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLettersTotal);

    /// <summary>Dead letters dropped because the queue was full.</summary>
    public long DeadLettersDropped => Interlocked.Read(ref _deadLettersDroppedTotal);

    /// <summary>Counts a received message.</summary>
    public void OnReceived()
    {
        Interlocked.Increment(ref _receivedTotal);
        _received.Add(1);
    }

    /// <summary>Counts a decoded message.</summary>
    public void OnDecoded()
    {
        Interlocked.Increment(ref _decodedTotal);
        _decoded.Add(1);
    }

    /// <summary>Counts a dead letter.</summary>
    public void OnDeadLetter(DeadLetterReason reason)
    {
        Interlocked.Increment(ref _deadLettersTotal);
        _deadLetters.Add(1, new KeyValuePair<string, object?>("reason", DeadLetterReasons.Code(reason)));
    }

    /// <summary>Counts a dead letter that could not be queued.</summary>
    public void OnDeadLetterDropped()
    {
        Interlocked.Increment(ref _deadLettersDroppedTotal);
        _deadLettersDropped.Add(1);
    }
}
