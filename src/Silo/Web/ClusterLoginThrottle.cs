using Microsoft.Extensions.Options;

namespace Resilience.Silo.Web;

/// <summary>
/// The silo's <see cref="IOperatorLoginThrottle"/>: the counts of <see cref="IOperatorLoginThrottleGrain"/>, one for
/// the cluster. While that grain cannot be reached (its silo just died and it moves), this silo's own counts stand in,
/// so guessing stays slowed and operators can still sign in.
/// </summary>
internal sealed partial class ClusterLoginThrottle(
    IGrainFactory grains,
    IOptions<WebPagesOptions> options,
    TimeProvider time,
    ILogger<ClusterLoginThrottle> logger) : IOperatorLoginThrottle
{
    /// <summary>The grain's key.</summary>
    public const string Key = "operators";

    private readonly OperatorLoginThrottle _local = new(options, time);

    private IOperatorLoginThrottleGrain Grain => grains.GetGrain<IOperatorLoginThrottleGrain>(Key);

    public async ValueTask<TimeSpan> RetryAfterAsync(string username, string address)
    {
        TimeSpan local = _local.RetryAfter(username, address);
        try
        {
            TimeSpan shared = await Grain.RetryAfterAsync(username, address);
            return shared > local ? shared : local;
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogUnreachable(logger, ex);
            return local;
        }
    }

    public async ValueTask RecordFailureAsync(string username, string address)
    {
        _local.RecordFailure(username, address);
        try
        {
            await Grain.RecordFailureAsync(username, address);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogUnreachable(logger, ex);
        }
    }

    public async ValueTask RecordSuccessAsync(string username, string address)
    {
        _local.RecordSuccess(username, address);
        try
        {
            await Grain.RecordSuccessAsync(username, address);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogUnreachable(logger, ex);
        }
    }

    [LoggerMessage(EventId = 3507, EventName = "LoginThrottleUnreachable", Level = LogLevel.Warning, Message = "The cluster's login throttle could not be reached; this silo's own counts apply meanwhile")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
