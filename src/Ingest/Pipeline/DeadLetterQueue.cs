using System.Threading.Channels;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// The bounded hand-off between ingest and <see cref="DeadLetterWriter"/>. <see cref="TryEnqueue"/> never
/// waits: when the queue is full the dead letter is dropped and counted, because ingest must not block on the
/// dead-letter disk.
/// </summary>
internal sealed class DeadLetterQueue
{
    private readonly Channel<DeadLetter> _channel;
    private readonly IngestPipelineMetrics _metrics;

    /// <summary>Creates a queue holding at most <paramref name="capacity"/> dead letters.</summary>
    public DeadLetterQueue(int capacity, IngestPipelineMetrics metrics)
    {
        _metrics = metrics;
        _channel = Channel.CreateBounded<DeadLetter>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of silently dropping, so we can count.
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>The consumer side.</summary>
    public ChannelReader<DeadLetter> Reader => _channel.Reader;

    /// <summary>Queues a dead letter; false (and counted) when full.</summary>
    public bool TryEnqueue(DeadLetter deadLetter)
    {
        if (_channel.Writer.TryWrite(deadLetter))
        {
            return true;
        }

        _metrics.OnDeadLetterDropped();
        return false;
    }

    /// <summary>Stops accepting dead letters (tests and shutdown).</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
