using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Storage;

/// <summary>
/// The InfluxDB writer: encodes points into pooled batches under a short lock, seals them by size or time, and
/// routes each sealed batch either straight to InfluxDB (healthy, no backlog, a request slot free) or to the
/// durable <see cref="SegmentSpool"/>, which a single drainer replays in order with capped, jittered backoff.
/// Refused lines are isolated by bisection and dead-lettered with InfluxDB's reason.
/// </summary>
internal sealed partial class InfluxPointWriter : IPointWriter, IInfluxWriterMetrics, IAsyncDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "Resilience.Ingest.Influx";

    private const int BatchSlack = 64 * 1024;

    private readonly InfluxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _unsignedAsInteger;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<WriteBatch> _free = new();
    private readonly Channel<WriteBatch> _sealed;
    private readonly FlushTracker _tracker = new();
    private readonly SegmentSpool _spool;
    private readonly InfluxHttpSender? _sender;
    private readonly SemaphoreSlim _slots;
    private readonly InfluxDeadLetterFile _deadLetters;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly CancellationTokenSource _hardStop = new();
    private readonly CancellationTokenSource _timerStop = new();
    private WriteBatch _open;
    private long _nextSequence;
    private long _accepted;
    private long _written;
    private long _retried;
    private long _deadLettered;
    private volatile bool _healthy = true;
    private volatile bool _stopping;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private Task? _router;
    private Task? _drainer;
    private Task? _timer;
    private Task? _stopTask;
    private int _started;

    public InfluxPointWriter(IOptions<InfluxOptions> options, TimeProvider time, ILogger<InfluxPointWriter> logger, IMeterFactory? meterFactory = null)
        : this(options.Value, time, logger, meterFactory)
    {
    }

    internal InfluxPointWriter(InfluxOptions options, TimeProvider time, ILogger logger, IMeterFactory? meterFactory = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _unsignedAsInteger = options.ApiVersion == InfluxApiVersion.V1;
        string data = string.IsNullOrWhiteSpace(options.DataDirectory) ? "data" : options.DataDirectory;
        SpoolDirectory = Path.Combine(data, "spool");
        long segmentBytes = Math.Max(Math.Min(options.Spool.SegmentBytes, options.Spool.MaxBytes / 4), options.BatchBytes + BatchSlack + SegmentSpool.HeaderSize);
        _spool = new SegmentSpool(SpoolDirectory, options.Spool.MaxBytes, segmentBytes, options.Spool.FullPolicy, options.Spool.Durability);
        _deadLetters = new InfluxDeadLetterFile(Path.Combine(data, "deadletter"), time);
        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            _sender = new InfluxHttpSender(options, time);
        }

        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _sealed = Channel.CreateBounded<WriteBatch>(new BoundedChannelOptions(options.MaxConcurrency + 2)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _open = RentBatch();
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableCounter("resilience.influx.points.accepted", () => Volatile.Read(ref _accepted), "{point}", "Points accepted by the writer.");
        _meter.CreateObservableCounter("resilience.influx.points.written", () => Volatile.Read(ref _written), "{point}", "Lines InfluxDB acknowledged.");
        _meter.CreateObservableCounter("resilience.influx.requests.retried", () => Volatile.Read(ref _retried), "{request}", "Write requests retried after a transient error.");
        _meter.CreateObservableCounter("resilience.influx.points.dead_lettered", () => Volatile.Read(ref _deadLettered), "{point}", "Lines InfluxDB refused.");
        _meter.CreateObservableCounter("resilience.influx.points.dropped", () => _spool.DroppedLines, "{point}", "Lines dropped by a full spool (DropOldest) or a corrupt record.");
        _meter.CreateObservableGauge("resilience.influx.spool.bytes", () => _spool.UsedBytes, "By", "Bytes waiting in the disk spool.");
    }

    /// <summary>The spool directory.</summary>
    public string SpoolDirectory { get; }

    /// <summary>The dead-letter directory.</summary>
    public string DeadLetterDirectory => _deadLetters.Directory;

    /// <summary>Starts the background loops (idempotent).</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        long pending = _spool.UsedBytes;
        Log.Started(_logger, _sender is null ? "(spool only)" : _sender.WriteUri.GetLeftPart(UriPartial.Path), SpoolDirectory, pending, _spool.CorruptRecords);
        _router = Task.Run(RouteAsync);
        _timer = Task.Run(() => SealOnTimerAsync(_timerStop.Token));
        _drainer = _sender is null ? Task.CompletedTask : Task.Run(() => DrainAsync(_hardStop.Token));
    }

    /// <inheritdoc />
    public bool TryWrite(in PointData point)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                throw new InvalidOperationException("The InfluxDB writer is stopping.");
            }

            WriteBatch open = _open;
            if ((open.Lines >= _options.BatchSize || open.Length >= _options.BatchBytes) && !TrySealLocked())
            {
                return false;
            }

            open = _open;
            int n;
            while ((n = LineProtocolEncoder.Encode(in point, open.Free, _options.Precision, _unsignedAsInteger)) < 0)
            {
                open.Grow(Math.Max(open.Buffer.Length, 4096));
            }

            open.Length += n;
            open.Lines++;
            _accepted++;
            if (open.Lines >= _options.BatchSize || open.Length >= _options.BatchBytes)
            {
                TrySealLocked();
            }

            return true;
        }
    }

    /// <inheritdoc />
    public async ValueTask WaitToWriteAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_open.Lines < _options.BatchSize && _open.Length < _options.BatchBytes)
                {
                    return;
                }

                if (TrySealLocked())
                {
                    return;
                }
            }

            if (!await _sealed.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("The InfluxDB writer has stopped.");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        long sequence = await SealAllAsync(cancellationToken).ConfigureAwait(false);
        await _tracker.WaitAsync(sequence, cancellationToken).ConfigureAwait(false);
        if (_options.Spool.Durability == SpoolDurability.Flush)
        {
            _spool.Sync();
        }
    }

    /// <inheritdoc />
    public InfluxWriterSnapshot GetSnapshot()
    {
        string? error;
        DateTimeOffset? at;
        lock (_gate)
        {
            error = _lastError;
            at = _lastErrorAt;
        }

        return new InfluxWriterSnapshot(
            Volatile.Read(ref _accepted),
            Volatile.Read(ref _written),
            Volatile.Read(ref _retried),
            _spool.UsedBytes,
            _spool.PendingRecords,
            Volatile.Read(ref _deadLettered),
            _spool.DroppedLines,
            error,
            at);
    }

    /// <summary>
    /// Stops gracefully: seals the open batch, sends or spools every sealed batch, waits for requests in flight,
    /// then stops the drainer. When <paramref name="cancellationToken"/> fires, requests in flight are cancelled
    /// and their batches spooled, so nothing accepted is lost.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stopTask ??= StopCoreAsync(cancellationToken);
            return _stopTask;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        await StopAsync(deadline.Token).ConfigureAwait(false);
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        Start();
        using CancellationTokenRegistration hard = cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _hardStop);
        try
        {
            await _timerStop.CancelAsync().ConfigureAwait(false);
            await SealAllAsync(_hardStop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Log.StopIncomplete(_logger, _open.Lines);
        }

        lock (_gate)
        {
            _stopping = true;
        }

        _sealed.Writer.TryComplete();
        await _router!.ConfigureAwait(false);
        await _timer!.ConfigureAwait(false);
        for (int i = 0; i < _options.MaxConcurrency; i++)
        {
            // Holding every slot means no memory-path request is in flight any more.
            await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await _hardStop.CancelAsync().ConfigureAwait(false);
        await _drainer!.ConfigureAwait(false);
        _spool.Dispose();
        _sender?.Dispose();
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private async ValueTask<long> SealAllAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_stopping || TrySealLocked())
                {
                    return _nextSequence;
                }
            }

            if (!await _sealed.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    return _nextSequence;
                }
            }
        }
    }

    private bool TrySealLocked()
    {
        WriteBatch open = _open;
        if (open.Lines == 0)
        {
            return true;
        }

        open.Sequence = _nextSequence + 1;
        if (!_sealed.Writer.TryWrite(open))
        {
            open.Sequence = 0;
            return false;
        }

        _nextSequence++;
        _open = RentBatch();
        return true;
    }

    private WriteBatch RentBatch() => _free.TryDequeue(out WriteBatch? batch) ? batch : new WriteBatch(_options.BatchBytes + BatchSlack);

    private void Release(WriteBatch batch)
    {
        _tracker.Complete(batch.Sequence);
        ReturnBatch(batch);
    }

    private async Task SealOnTimerAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    if (!_stopping)
                    {
                        TrySealLocked();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RouteAsync()
    {
        ChannelReader<WriteBatch> reader = _sealed.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out WriteBatch? batch))
            {
                try
                {
                    if (_sender is not null && _healthy && !_hardStop.IsCancellationRequested && _spool.IsEmpty)
                    {
                        if (_slots.Wait(0))
                        {
                            _ = SendFromMemoryAsync(batch);
                            continue;
                        }

                        if (reader.Count == 0)
                        {
                            // Input is not outpacing InfluxDB: wait for a request slot rather than touch the disk.
                            await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                            _ = SendFromMemoryAsync(batch);
                            continue;
                        }
                    }

                    await SpoolAsync(batch).ConfigureAwait(false);
                    Release(batch);
                }
                catch (Exception ex)
                {
                    Log.BackgroundFailure(_logger, ex);
                    Release(batch);
                }
            }
        }
    }

    private async Task SendFromMemoryAsync(WriteBatch batch)
    {
        try
        {
            SendResult result;
            try
            {
                result = await WriteLinesAsync(batch.Memory, batch.Lines, _hardStop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                result = new SendResult(SendStatus.Transient, 0, "cancelled at stop", null);
            }

            if (result.Status != SendStatus.Ok)
            {
                NoteTransient(result);
                Interlocked.Increment(ref _retried);
                await SpoolAsync(batch).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Log.BackgroundFailure(_logger, ex);
        }
        finally
        {
            _slots.Release();
            Release(batch);
        }
    }

    /// <summary>Appends a batch to the spool, waiting for room under <see cref="SpoolFullPolicy.Block"/>.</summary>
    private async Task SpoolAsync(WriteBatch batch)
    {
        while (true)
        {
            Task space = _spool.SpaceAvailable.WaitAsync();
            try
            {
                if (_spool.TryAppend(batch.Buffer.AsSpan(0, batch.Length), batch.Lines))
                {
                    return;
                }
            }
            catch (IOException ex)
            {
                NoteError("spool: " + ex.Message);
                Log.SpoolIoError(_logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), _time).ConfigureAwait(false);
                continue;
            }

            if (_stopping && _hardStop.IsCancellationRequested)
            {
                Log.LinesLostAtStop(_logger, batch.Lines);
                return;
            }

            await Task.WhenAny(space, Task.Delay(TimeSpan.FromSeconds(1), _time)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Replays the spool in order with up to <see cref="InfluxOptions.MaxConcurrency"/> records in flight,
    /// acknowledging them in order. On a transient failure the window is abandoned and replay restarts at the
    /// oldest unacknowledged record after a backoff; records of the window that did succeed are re-sent then,
    /// which InfluxDB absorbs as overwrites of identical points (no duplicates).
    /// </summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var window = new Queue<(SpoolPosition Position, WriteBatch Batch, Task<SendResult> Send)>();
        var cursor = default(SpoolPosition);
        int attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Task data = _spool.DataAvailable.WaitAsync();
                while (window.Count < _options.MaxConcurrency)
                {
                    WriteBatch batch = RentBatch();
                    if (!_spool.TryReadNext(ref cursor, batch, out SpoolPosition position))
                    {
                        ReturnBatch(batch);
                        break;
                    }

                    await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    window.Enqueue((position, batch, SendFromSpoolAsync(batch, cancellationToken)));
                }

                if (window.Count == 0)
                {
                    await data.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                (SpoolPosition first, WriteBatch firstBatch, Task<SendResult> firstSend) = window.Dequeue();
                SendResult result = await firstSend.ConfigureAwait(false);
                ReturnBatch(firstBatch);
                if (result.Status == SendStatus.Ok)
                {
                    _spool.Ack(first);
                    if (attempt > 0)
                    {
                        Log.Recovered(_logger, attempt);
                    }

                    attempt = 0;
                    continue;
                }

                await AbandonWindowAsync(window).ConfigureAwait(false);
                cursor = default;
                NoteTransient(result);
                Interlocked.Increment(ref _retried);
                TimeSpan delay = Backoff(attempt++, result.RetryAfter);
                Log.TransientError(_logger, result.Error, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                await AbandonWindowAsync(window).ConfigureAwait(false);
                cursor = default;
                NoteError("spool: " + ex.Message);
                Log.SpoolIoError(_logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await AbandonWindowAsync(window).ConfigureAwait(false);
    }

    private async Task<SendResult> SendFromSpoolAsync(WriteBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteLinesAsync(batch.Memory, batch.Lines, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new SendResult(SendStatus.Transient, 0, "cancelled at stop", null);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return new SendResult(SendStatus.Transient, 0, ex.Message, null);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task AbandonWindowAsync(Queue<(SpoolPosition Position, WriteBatch Batch, Task<SendResult> Send)> window)
    {
        while (window.Count > 0)
        {
            (_, WriteBatch batch, Task<SendResult> send) = window.Dequeue();
            await send.ConfigureAwait(false);
            ReturnBatch(batch);
        }
    }

    private void ReturnBatch(WriteBatch batch)
    {
        batch.Reset();
        _free.Enqueue(batch);
    }

    /// <summary>
    /// Writes <paramref name="lines"/>; a refused batch is bisected until the refused lines are alone, and those
    /// are dead-lettered with InfluxDB's reason. Returns <see cref="SendStatus.Ok"/> once every line is either
    /// stored or dead-lettered, or the first transient failure (the caller retries the whole run: lines already
    /// stored are re-sent identically and overwrite themselves in InfluxDB, so no point is counted twice).
    /// </summary>
    private async Task<SendResult> WriteLinesAsync(ReadOnlyMemory<byte> lines, int lineCount, CancellationToken cancellationToken)
    {
        SendResult result = await _sender!.PostAsync(lines, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case SendStatus.Ok:
                Interlocked.Add(ref _written, lineCount);
                _healthy = true;
                return result;
            case SendStatus.Transient:
                return result;
        }

        if (lineCount <= 1)
        {
            try
            {
                _deadLetters.Append(lines.Span, result.StatusCode, result.Error);
            }
            catch (IOException ex)
            {
                Log.SpoolIoError(_logger, ex);
            }

            Interlocked.Increment(ref _deadLettered);
            NoteError(result.Error);
            Log.LineDeadLettered(_logger, result.StatusCode, result.Error);
            return new SendResult(SendStatus.Ok, result.StatusCode, null, null);
        }

        int half = lineCount / 2;
        int split = SplitAfterLines(lines.Span, half);
        SendResult first = await WriteLinesAsync(lines[..split], half, cancellationToken).ConfigureAwait(false);
        if (first.Status != SendStatus.Ok)
        {
            return first;
        }

        return await WriteLinesAsync(lines[split..], lineCount - half, cancellationToken).ConfigureAwait(false);
    }

    private static int SplitAfterLines(ReadOnlySpan<byte> lines, int count)
    {
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            int nl = lines[offset..].IndexOf((byte)'\n');
            offset += nl + 1;
        }

        return offset;
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is TimeSpan after && after > TimeSpan.Zero)
        {
            return after < TimeSpan.FromMinutes(5) ? after : TimeSpan.FromMinutes(5);
        }

        double max = _options.RetryMaxDelay.TotalMilliseconds;
        double delay = Math.Min(max, _options.RetryInitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));

        // "Equal jitter": half fixed, half random, so concurrent writers spread without ever retrying at once.
        return TimeSpan.FromMilliseconds((delay / 2) + (Random.Shared.NextDouble() * delay / 2));
    }

    private void NoteTransient(SendResult result)
    {
        _healthy = false;
        NoteError(result.Error);
    }

    private void NoteError(string? error)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            _lastError = error;
            _lastErrorAt = now;
        }
    }
}
