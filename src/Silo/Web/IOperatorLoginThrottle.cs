namespace Resilience.Silo.Web;

/// <summary>
/// The console login's guard against password guessing (<see cref="OperatorLoginThrottle"/> holds the rules). On a
/// silo the counts live in one grain for the whole cluster, so N silos do not give N times the free guesses; the web
/// pages on their own keep them in process.
/// </summary>
internal interface IOperatorLoginThrottle
{
    /// <summary>How long <paramref name="address"/> must wait before a try as <paramref name="username"/> is checked; zero when it may go now.</summary>
    ValueTask<TimeSpan> RetryAfterAsync(string username, string address);

    /// <summary>Counts a failed try.</summary>
    ValueTask RecordFailureAsync(string username, string address);

    /// <summary>Clears the counts and remembers the address as one this user signs in from.</summary>
    ValueTask RecordSuccessAsync(string username, string address);
}
