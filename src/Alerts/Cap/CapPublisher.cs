using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Lifecycle;

namespace Resilience.Alerts.Cap;

/// <summary>Builds CAP documents and the Atom feed from the stored versions (CAP is derived, never stored twice).</summary>
internal sealed class CapPublisher
{
    private readonly IAlertService _alerts;
    private readonly CapOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the publisher.</summary>
    public CapPublisher(IAlertService alerts, IOptions<AlertsOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _alerts = alerts;
        _options = options.Value.Cap;
        _time = time;
    }

    /// <summary>The CAP document of alert <paramref name="id"/> at <paramref name="version"/> (latest when null); null when unknown.</summary>
    public async ValueTask<byte[]?> DocumentAsync(long id, int? version, string? baseUrl, CancellationToken cancellationToken)
    {
        IReadOnlyList<AlertEvent> history = await _alerts.HistoryAsync(id, cancellationToken);
        var versions = new List<AlertRecord>(history.Count);
        foreach (AlertEvent entry in history)
        {
            if (entry.Action != "notice")
            {
                versions.Add(entry.Alert);
            }
        }

        if (versions.Count == 0)
        {
            return null;
        }

        int index = version is { } v ? versions.FindIndex(a => a.Version == v) : versions.Count - 1;
        if (index < 0)
        {
            return null;
        }

        return CapDocumentWriter.Write(versions[index], versions.GetRange(0, index), _options, baseUrl);
    }

    /// <summary>The Atom feed: open alerts, then the most recent closed ones, up to the feed size.</summary>
    public async ValueTask<byte[]> FeedAsync(string baseUrl, CancellationToken cancellationToken)
    {
        IReadOnlyList<AlertRecord> alerts = await _alerts.ListAsync(new AlertQuery(ActiveOnly: false, Limit: _options.FeedSize), cancellationToken);
        return AtomFeedWriter.Write(alerts, _options, baseUrl, _time.GetUtcNow());
    }
}
