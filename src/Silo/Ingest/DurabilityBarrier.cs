using Resilience.Ingest.Storage;

namespace Resilience.Silo.Ingest;

/// <summary>
/// Group commit for acknowledgements: <see cref="WaitAsync"/> completes once every point written to this silo's
/// <see cref="IPointWriter"/> before the call is durable (<see cref="IPointWriter.FlushAsync"/>: in InfluxDB, or in
/// the spool). One flush runs at a time; every caller that arrives meanwhile shares the next one, so a thousand
/// publishers waiting at once cost a few flushes, and the batch grows with the load instead of shrinking.
/// </summary>
internal sealed class DurabilityBarrier(IPointWriter writer)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _next;
    private bool _flushing;

    /// <summary>Flushes (or joins the next flush) and completes when the points written before the call are durable.</summary>
    public Task WaitAsync()
    {
        TaskCompletionSource next;
        bool start = false;
        lock (_gate)
        {
            next = _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_flushing)
            {
                _flushing = true;
                start = true;
            }
        }

        if (start)
        {
            _ = Task.Run(FlushLoopAsync);
        }

        return next.Task;
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            TaskCompletionSource? batch;
            lock (_gate)
            {
                batch = _next;
                _next = null;
                if (batch is null)
                {
                    _flushing = false;
                    return;
                }
            }

            try
            {
                // Every waiter in this batch wrote its points before it joined, and the flush seals what was written
                // before it starts, so all of them are covered.
                await writer.FlushAsync(CancellationToken.None);
                batch.TrySetResult();
            }
            catch (Exception ex)
            {
                batch.TrySetException(ex);
            }
        }
    }
}
