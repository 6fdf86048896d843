using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Lifecycle;

namespace Resilience.Alerts.Dispatch;

/// <summary>Periodically sends the escalation notice for alerts of warning severity or above left unacknowledged too long.</summary>
internal sealed partial class EscalationNoticeWorker(
    AlertService alerts, IOptions<AlertsOptions> options, TimeProvider time, ILogger<EscalationNoticeWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Dispatch.NoticeCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    alerts.SendDueNotices();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.CheckFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
