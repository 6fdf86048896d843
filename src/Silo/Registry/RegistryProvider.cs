using Microsoft.Extensions.Options;

namespace Resilience.Silo.Registry;

/// <summary>
/// Holds the current registry snapshot. The file is read (and validated) when the provider is created, so an
/// invalid registry stops the silo at start with every error listed. While running, a file watcher reloads it;
/// an invalid edit keeps the old snapshot and logs why.
/// </summary>
internal sealed partial class RegistryProvider : IHostedService, IDisposable
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string? _path;
    private readonly bool _watch;
    private SensorRegistry _current;
    private FileSystemWatcher? _watcher;
    private ITimer? _debounce;

    public RegistryProvider(IOptions<RegistryOptions> options, TimeProvider time, ILogger<RegistryProvider> logger)
    {
        _logger = logger;
        _time = time;
        _path = options.Value.ResolvedPath;
        _watch = options.Value.Watch;
        _current = RegistryLoader.LoadFile(_path);
        Log.Loaded(_logger, _path, _current.Provinces.Count, _current.Zones.Count, _current.Sensors.Count);
    }

    /// <summary>A provider with a fixed snapshot (tests, benchmarks).</summary>
    public RegistryProvider(SensorRegistry registry)
    {
        _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _time = TimeProvider.System;
        _current = registry;
    }

    /// <summary>The registry in force.</summary>
    public SensorRegistry Current => Volatile.Read(ref _current);

    /// <summary>Raised after a successful reload.</summary>
    public event EventHandler<SensorRegistry>? Changed;

    /// <summary>Re-reads the file; false (old snapshot kept, reason logged) when it is invalid.</summary>
    public bool TryReload()
    {
        if (_path is null)
        {
            return false;
        }

        try
        {
            SensorRegistry next = RegistryLoader.LoadFile(_path);
            Volatile.Write(ref _current, next);
            Log.Reloaded(_logger, _path, next.Provinces.Count, next.Zones.Count, next.Sensors.Count);
            Changed?.Invoke(this, next);
            return true;
        }
        catch (RegistryException ex)
        {
            Log.ReloadRejected(_logger, _path, ex.Message);
            return false;
        }
    }

    /// <summary>Replaces the snapshot directly (tests).</summary>
    public void Set(SensorRegistry registry)
    {
        Volatile.Write(ref _current, registry);
        Changed?.Invoke(this, registry);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_watch && _path is not null && Path.GetDirectoryName(_path) is { } dir)
        {
            _debounce = _time.CreateTimer(static s => ((RegistryProvider)s!).TryReload(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _watcher = new FileSystemWatcher(dir, Path.GetFileName(_path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
            };
            _watcher.Changed += OnFileEvent;
            _watcher.Created += OnFileEvent;
            _watcher.Renamed += OnFileEvent;
            _watcher.EnableRaisingEvents = true;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        _debounce?.Dispose();
    }

    // Editors write a file in several steps: wait for the writes to settle before reading.
    private void OnFileEvent(object sender, FileSystemEventArgs e) =>
        _debounce?.Change(TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);
}
