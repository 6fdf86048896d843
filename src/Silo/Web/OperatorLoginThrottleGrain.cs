using Microsoft.Extensions.Options;

namespace Resilience.Silo.Web;

/// <summary>The cluster's one set of console login counts (key <see cref="ClusterLoginThrottle.Key"/>).</summary>
[Alias("resilience.login-throttle")]
internal interface IOperatorLoginThrottleGrain : IGrainWithStringKey
{
    /// <summary>See <see cref="IOperatorLoginThrottle.RetryAfterAsync"/>.</summary>
    [Alias("retry-after")]
    ValueTask<TimeSpan> RetryAfterAsync(string username, string address);

    /// <summary>See <see cref="IOperatorLoginThrottle.RecordFailureAsync"/>.</summary>
    [Alias("failure")]
    ValueTask RecordFailureAsync(string username, string address);

    /// <summary>See <see cref="IOperatorLoginThrottle.RecordSuccessAsync"/>.</summary>
    [Alias("success")]
    ValueTask RecordSuccessAsync(string username, string address);
}

/// <summary>
/// Holds <see cref="OperatorLoginThrottle"/>'s tables for every silo. It is not persisted: if its silo dies the counts
/// start again on another one, as they did on every restart before. It stays active while it remembers failures, so
/// idle collection does not forget a delay it handed out.
/// </summary>
internal sealed class OperatorLoginThrottleGrain(IOptions<WebPagesOptions> options, TimeProvider time) : Grain, IOperatorLoginThrottleGrain
{
    private readonly OperatorLoginThrottle _throttle = new(options, time);
    private readonly TimeSpan _memory = TimeSpan.FromMinutes(Math.Max(options.Value.ThrottleMemoryMinutes, options.Value.MaxAddressDelaySeconds / 60.0));

    public ValueTask<TimeSpan> RetryAfterAsync(string username, string address) => _throttle.RetryAfterAsync(username, address);

    public ValueTask RecordFailureAsync(string username, string address)
    {
        DelayDeactivation(_memory);
        return _throttle.RecordFailureAsync(username, address);
    }

    public ValueTask RecordSuccessAsync(string username, string address) => _throttle.RecordSuccessAsync(username, address);
}
