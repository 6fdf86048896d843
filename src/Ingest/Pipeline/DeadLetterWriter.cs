using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// Drains <see cref="DeadLetterQueue"/> into append-only JSON-lines files <c>ingest-YYYYMMDD[-N].jsonl</c> under
/// the dead-letter directory, flushing after every drained batch. The files together stay under a byte quota: a
/// file is closed at an eighth of it and a new part begun, and the oldest files are deleted to make room (rotation),
/// so a junk flood costs a bounded amount of disk. A disk error drops that batch (counted and logged) and the
/// writer carries on; ingest never waits for it.
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
    private readonly long _maxBytes;
    private readonly long _partBytes;
    private FileStream? _file;
    private string? _fileName;
    private string? _day;
    private long _total = -1;

    /// <summary>The default quota of the dead-letter files together: 64 MiB.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>Creates the writer for <paramref name="directory"/>, keeping its files under <paramref name="maxBytes"/>.</summary>
    public DeadLetterWriter(DeadLetterQueue queue, IngestPipelineMetrics metrics, string directory, ILogger<DeadLetterWriter> logger, long maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 64 * 1024);
        _queue = queue;
        _metrics = metrics;
        _logger = logger;
        _maxBytes = maxBytes;
        _partBytes = maxBytes / 8;
        Directory = directory;
        _json = new Utf8JsonWriter(_buffer, s_jsonOptions);
    }

    /// <summary>The byte quota of the dead-letter files together.</summary>
    public long MaxBytes => _maxBytes;

    /// <summary>Dead letters dropped because the quota left no room even after rotation.</summary>
    public long DroppedOverQuota { get; private set; }

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
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // BackgroundService starts ExecuteAsync on the thread pool; a stop that comes first cancels it before it
        // runs, so whatever was queued is drained here (only once ExecuteAsync is surely finished: one writer).
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
        {
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
                _buffer.ResetWrittenCount();
                DeadLetterFormatter.Write(_buffer, _json, deadLetter);
                FileStream? file = OpenFor(deadLetter.ReceivedAt, _buffer.WrittenCount);
                if (file is null)
                {
                    DroppedOverQuota++;
                    _metrics.OnDeadLetterDropped();
                    Log.OverQuota(_logger, Directory, _maxBytes);
                    continue;
                }

                await file.WriteAsync(_buffer.WrittenMemory, cancellationToken);
                _total += _buffer.WrittenCount;
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

    private FileStream? OpenFor(DateTimeOffset receivedAt, long bytes)
    {
        string day = DeadLetterFormatter.FileName(receivedAt);
        if (_file is not null && (day != _day || _file.Length + bytes > _partBytes))
        {
            CloseFile(); // a new day, or this part is full: the next part begins (and this one may be rotated out)
        }

        System.IO.Directory.CreateDirectory(Directory);
        if (_total < 0)
        {
            _total = ExistingFiles().Sum(f => f.Length);
        }

        if (_total + bytes > _maxBytes)
        {
            foreach (FileInfo old in ExistingFiles().OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal))
            {
                if (_total + bytes <= _maxBytes)
                {
                    break;
                }

                if (_file is not null && string.Equals(old.Name, _fileName, StringComparison.Ordinal))
                {
                    continue;
                }

                long length = old.Length; // before Delete, which drops the cached size
                old.Delete();
                _total -= length;
                Log.Rotated(_logger, old.FullName);
            }

            if (_total + bytes > _maxBytes)
            {
                return null;
            }
        }

        if (_file is not null)
        {
            return _file;
        }

        // Append to the day's latest part while it has room, else begin the next one; a rotated-out part's number
        // is never reused, so the names keep the order of writing.
        string stem = Path.GetFileNameWithoutExtension(day);
        int latest = -1;
        foreach (FileInfo f in new DirectoryInfo(Directory).EnumerateFiles(stem + "*.jsonl"))
        {
            int index = PartIndex(stem, f.Name);
            latest = Math.Max(latest, index);
        }

        string name = PartName(stem, Math.Max(latest, 0));
        FileInfo current = new(Path.Combine(Directory, name));
        if (current.Exists && current.Length + bytes > _partBytes)
        {
            name = PartName(stem, latest + 1);
        }

        _day = day;
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

    private static string PartName(string stem, int part) =>
        part == 0 ? stem + ".jsonl" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{stem}-{part}.jsonl");

    private static int PartIndex(string stem, string fileName)
    {
        string rest = fileName[stem.Length..^".jsonl".Length];
        if (rest.Length == 0)
        {
            return 0;
        }

        return rest[0] == '-' && int.TryParse(rest.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int part) ? part : -1;
    }

    private IEnumerable<FileInfo> ExistingFiles() =>
        new DirectoryInfo(Directory).EnumerateFiles("ingest-*.jsonl");

    private void CloseFile()
    {
        _file?.Dispose();
        _file = null;
        _fileName = null;
        _day = null;
    }
}
