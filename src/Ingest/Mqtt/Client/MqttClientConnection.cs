using System.IO.Pipelines;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// One network connection of an <see cref="MqttClient"/>: the stream (TCP or TLS), its pipe reader and
/// writer, the write lock every packet goes through, and the keep-alive bookkeeping. Dies as a whole: any
/// failure aborts it and the client builds a new one.
/// </summary>
internal sealed class MqttClientConnection : IAsyncDisposable
{
    /// <summary><see cref="PingSentTimestamp"/> when no PINGREQ is outstanding.</summary>
    public const long NoPing = long.MinValue;

    private readonly Stream _stream;
    private readonly CancellationTokenSource _cts = new();
    private int _aborted;
    private long _lastSendTimestamp;
    private long _pingSentTimestamp = NoPing;
    private int _deliveryBlocked;

    public MqttClientConnection(Stream stream, MqttProtocolVersion version, int maximumPacketSize)
    {
        _stream = stream;
        Version = version;
        MaximumPacketSize = maximumPacketSize;
        Reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true));
        Writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
    }

    public MqttProtocolVersion Version { get; }

    public int MaximumPacketSize { get; }

    public PipeReader Reader { get; }

    /// <summary>Written only while holding <see cref="WriteLock"/>.</summary>
    public PipeWriter Writer { get; }

    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>The reader loop; completes with the cause of the connection's end (null for a clean close).</summary>
    public Task<Exception?>? ReadLoop { get; set; }

    /// <summary>The keep-alive loop; ends with the connection.</summary>
    public Task? KeepAliveLoop { get; set; }

    /// <summary>Cancelled when the connection is aborted.</summary>
    public CancellationToken Token => _cts.Token;

    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>Keep alive in effect (the broker's Server Keep Alive wins in 5.0).</summary>
    public TimeSpan KeepAlive { get; set; }

    /// <summary>Largest packet the broker accepts (5.0 CONNACK), or int.MaxValue.</summary>
    public int BrokerMaximumPacketSize { get; set; } = int.MaxValue;

    public long LastSendTimestamp
    {
        get => Volatile.Read(ref _lastSendTimestamp);
        set => Volatile.Write(ref _lastSendTimestamp, value);
    }

    /// <summary>When the outstanding PINGREQ went out, or <see cref="NoPing"/>.</summary>
    public long PingSentTimestamp
    {
        get => Volatile.Read(ref _pingSentTimestamp);
        set => Volatile.Write(ref _pingSentTimestamp, value);
    }

    /// <summary>
    /// True while the reader waits for the consumer (full channel or slow handler): it is not reading, so a
    /// missing PINGRESP then says nothing about the broker.
    /// </summary>
    public bool DeliveryBlocked
    {
        get => Volatile.Read(ref _deliveryBlocked) != 0;
        set => Volatile.Write(ref _deliveryBlocked, value ? 1 : 0);
    }

    /// <summary>
    /// Takes the write lock for a live connection; throws <see cref="MqttClientException"/> when it is aborted,
    /// so no one writes into a pipe that <see cref="DisposeAsync"/> completes (under the same lock).
    /// </summary>
    public async ValueTask EnterWriteAsync(CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken);
        if (IsAborted)
        {
            WriteLock.Release();
            throw new MqttClientException("The connection was lost.");
        }
    }

    /// <summary>Kills the connection at once (no DISCONNECT): the reader and writers fail and the client notices.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        try
        {
            _cts.Cancel();
        }
        catch (AggregateException)
        {
            // A registration threw; the connection is going away regardless.
        }

        _stream.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await WriteLock.WaitAsync();
        try
        {
            await Reader.CompleteAsync();
            await Writer.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Unsent bytes of a dead connection: the session state resends what matters.
        }
        finally
        {
            WriteLock.Release();
        }

        _cts.Dispose();
    }
}
