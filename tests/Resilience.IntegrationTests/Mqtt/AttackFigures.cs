using System.Globalization;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>
/// The figures an attack test takes before and after its attack (issue 11: "memory, connections, disk"): written to the
/// test output and, when <c>RESILIENCE_ATTACK_FIGURES</c> names a file, appended to it as one Markdown table row
/// (attack | bound | measured), from which docs/architecture.md's table is kept.
/// </summary>
internal static class AttackFigures
{
    private static readonly Lock s_fileLock = new();

    /// <summary>
    /// What the test process itself may add to the managed heap around an attack (JIT'd code paths used for the first
    /// time, pooled buffers, the broker's side of connections still closing): 2 MiB, far below what any of the
    /// attacks costs unbounded (several MiB to GiB).
    /// </summary>
    public const long ProcessSlack = 2L * 1024 * 1024;

    /// <summary>The process's memory now: the managed heap after full, blocking collections (finalizers run in between), and the working set.</summary>
    public static MemoryFigure TakeMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        return new MemoryFigure(heap, Environment.WorkingSet);
    }

    /// <summary>"12,345 KiB → 12,400 KiB (+55 KiB)" for the managed heap.</summary>
    public static string Heap(MemoryFigure before, MemoryFigure after) =>
        string.Create(CultureInfo.InvariantCulture, $"managed heap {before.Heap / 1024:N0} → {after.Heap / 1024:N0} KiB ({Signed((after.Heap - before.Heap) / 1024)} KiB)");

    /// <summary>"80 → 84 MiB (+4 MiB)" for the working set.</summary>
    public static string WorkingSet(MemoryFigure before, MemoryFigure after) =>
        string.Create(CultureInfo.InvariantCulture, $"working set {before.WorkingSet / (1024 * 1024):N0} → {after.WorkingSet / (1024 * 1024):N0} MiB ({Signed((after.WorkingSet - before.WorkingSet) / (1024 * 1024))} MiB)");

    /// <summary>Writes one attack's row to the test output (and the figures file, if configured).</summary>
    public static void Report(string attack, string bound, string measured)
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"{attack}: bound {bound}; measured {measured}");
        string? file = Environment.GetEnvironmentVariable("RESILIENCE_ATTACK_FIGURES");
        if (!string.IsNullOrEmpty(file))
        {
            lock (s_fileLock)
            {
                File.AppendAllText(file, $"| {attack} | {bound} | {measured} |{Environment.NewLine}");
            }
        }
    }

    private static string Signed(long value) => value >= 0
        ? "+" + value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("N0", CultureInfo.InvariantCulture);
}
