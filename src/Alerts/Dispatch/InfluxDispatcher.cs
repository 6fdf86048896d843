using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Lifecycle;
using Resilience.Ingest.Storage;

namespace Resilience.Alerts.Dispatch;

/// <summary>
/// Writes each alert version to InfluxDB's <c>alert</c> measurement (DESIGN.md: tags province, rule, severity,
/// subject; fields state, value, version) through the ingest area's <see cref="IPointWriter"/>, which batches and
/// spools. Without a registered writer the messages are accepted and dropped.
/// </summary>
internal sealed class InfluxDispatcher : OutboxWorker
{
    private static readonly string[] s_channels = [AlertService.InfluxChannel];
    private readonly IPointWriter? _writer;

    /// <summary>Creates the dispatcher; the last registered <see cref="IPointWriter"/> is used.</summary>
    public InfluxDispatcher(AlertStore store, OutboxSignal signal, IEnumerable<IPointWriter> writers, IOptions<AlertsOptions> options, TimeProvider time, ILogger<InfluxDispatcher> logger)
        : base(store, signal, options?.Value.Dispatch ?? throw new ArgumentNullException(nameof(options)), time, logger)
    {
        foreach (IPointWriter writer in writers ?? [])
        {
            _writer = writer;
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> Channels => s_channels;

    /// <summary>The point of one alert version.</summary>
    public static PointData ToPoint(AlertRecord alert, KeyValuePair<string, string>[] tags, FieldValue[] fields)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(fields);
        tags[0] = new("province", alert.Province);
        tags[1] = new("rule", alert.Rule);
        tags[2] = new("severity", alert.Severity.ToString().ToLowerInvariant());
        tags[3] = new("subject", alert.Subject);
        fields[0] = FieldValue.String("state", alert.State.ToString().ToLowerInvariant());
        fields[1] = FieldValue.Float("value", double.IsFinite(alert.Value) ? alert.Value : 0);
        fields[2] = FieldValue.Integer("version", alert.Version);
        long ns = (alert.UpdatedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return new PointData("alert", tags, fields, ns);
    }

    /// <inheritdoc />
    protected override Task<DeliveryResult> DeliverAsync(int channel, OutboxMessage message, CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            return Task.FromResult(DeliveryResult.Success);
        }

        AlertRecord? alert = JsonSerializer.Deserialize(message.Payload, AlertJsonContext.Default.AlertRecord);
        if (alert is null)
        {
            return Task.FromResult(new DeliveryResult("empty payload", Permanent: true));
        }

        try
        {
            PointData point = ToPoint(alert, new KeyValuePair<string, string>[4], new FieldValue[3]);
            return Task.FromResult(_writer.TryWrite(in point) ? DeliveryResult.Success : new DeliveryResult("point writer full"));
        }
        catch (ArgumentException ex)
        {
            return Task.FromResult(new DeliveryResult(ex.Message, Permanent: true));
        }
    }
}
