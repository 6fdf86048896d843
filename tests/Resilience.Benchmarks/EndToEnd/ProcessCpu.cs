using System.Globalization;

namespace Resilience.Benchmarks.EndToEnd;

/// <summary>CPU time of a process from <c>/proc/&lt;pid&gt;/stat</c> (utime + stime, fields 14 and 15, in clock ticks).</summary>
internal static class ProcessCpu
{
    // USER_HZ is 100 on every Linux architecture .NET runs on (the kernel ABI fixes it for /proc).
    private const double TicksPerSecond = 100;

    /// <summary>User plus system time so far, or zero when the process is gone (or <paramref name="pid"/> is null).</summary>
    public static TimeSpan Read(int? pid)
    {
        if (pid is null)
        {
            return TimeSpan.Zero;
        }

        try
        {
            string stat = File.ReadAllText($"/proc/{pid.Value.ToString(CultureInfo.InvariantCulture)}/stat");

            // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return TimeSpan.Zero;
        }
    }
}
