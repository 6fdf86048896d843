using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// Drains <see cref="DeadLetterQueue"/> into append-only JSON-lines files <c>ingest-YYYYMMDD.jsonl</c> under
/// the dead-letter directory, flushing after every drained batch. A disk error drops that batch (counted and
/// logged) and the writer carries on; ingest never waits for it.
/// </summary>
internal sealed partial class DeadLetterWriter : BackgroundService
{
    private static readonly JsonWriterOptions s_jsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file for operators: keep Vietnamese readable
        SkipValidation = true,
    };

    private readonly DeadLetterQueue _queue;
    private readonly IngestPipelineMetrics _metrics;
    private readonly ILogger<DeadLetterWriter> _logger;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;
    private FileStream? _file;
    private string? _fileName;

    /// <summary>Creates the writer for <paramref name="directory"/>.</summary>
    public DeadLetterWriter(DeadLetterQueue queue, IngestPipelineMetrics metrics, string directory, ILogger<DeadLetterWriter> logger)
    {
        _queue = queue;
        _metrics = metrics;
        _logger = logger;
        Directory = directory;
        _json = new Utf8JsonWriter(_buffer, s_jsonOptions);
    }

    /// <summary>Where the files go.</summary>
    public string Directory { get; }

    /// <summary>Dead letters written so far.</summary>
    public long Written { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await DrainAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Whatever was queued before shutdown still reaches the disk.
            await DrainAsync(CancellationToken.None);
            CloseFile();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        CloseFile();
        _json.Dispose();
        base.Dispose();
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        int count = 0;
        while (_queue.Reader.TryRead(out DeadLetter? deadLetter))
        {
            try
            {
                FileStream file = OpenFor(deadLetter.ReceivedAt);
                _buffer.ResetWrittenCount();
                DeadLetterFormatter.Write(_buffer, _json, deadLetter);
                await file.WriteAsync(_buffer.WrittenMemory, cancellationToken);
                count++;
                Written++;
                Log.DeadLetterWritten(_logger, deadLetter.Topic, deadLetter.Reason);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _metrics.OnDeadLetterDropped();
                Log.WriteFailed(_logger, Directory, ex);
                CloseFile();
            }
        }

        if (count > 0 && _file is not null)
        {
            try
            {
                await _file.FlushAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                Log.WriteFailed(_logger, Directory, ex);
                CloseFile();
            }
        }
    }

    private FileStream OpenFor(DateTimeOffset receivedAt)
    {
        string name = DeadLetterFormatter.FileName(receivedAt);
        if (_file is not null && name == _fileName)
        {
            return _file;
        }

        CloseFile();
        System.IO.Directory.CreateDirectory(Directory);
        string path = Path.Combine(Directory, name);
        _file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous,
        });
        _fileName = name;
        Log.FileOpened(_logger, path);
        return _file;
    }

    private void CloseFile()
    {
        _file?.Dispose();
        _file = null;
        _fileName = null;
    }
}
