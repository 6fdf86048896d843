using System.Globalization;

namespace Resilience.Simulation.Running;

/// <summary>A tiny <c>--key value</c> / <c>--flag</c> parser for the simulator executables.</summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/>; a switch followed by another switch (or nothing) is a flag.</summary>
    public CommandLine(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{a}'.");
            }

            string key = a[2..];
            string? value = null;
            int eq = key.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = key[(eq + 1)..];
                key = key[..eq];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            _values[key] = value;
        }
    }

    /// <summary>True when the switch was given.</summary>
    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>
    /// Parses <paramref name="args"/> for a program with <paramref name="usage"/>: on a bad switch prints the error and
    /// the usage (exit code 2), on <c>--help</c> prints the usage (exit code 0); otherwise returns the parsed line.
    /// </summary>
    public static CommandLine? ParseOrExit(IReadOnlyList<string> args, string usage, out int exitCode)
    {
        exitCode = 0;
        CommandLine cl;
        try
        {
            cl = new CommandLine(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(usage);
            exitCode = 2;
            return null;
        }

        if (cl.Has("help"))
        {
            Console.WriteLine(usage);
            return null;
        }

        return cl;
    }

    /// <summary>A string value or the default.</summary>
    public string String(string key, string fallback) => _values.TryGetValue(key, out string? v) && v is not null ? v : fallback;

    /// <summary>An optional string value.</summary>
    public string? Optional(string key) => _values.TryGetValue(key, out string? v) ? v : null;

    /// <summary>An integer value or the default.</summary>
    public long Int(string key, long fallback) => _values.TryGetValue(key, out string? v) && v is not null
        ? long.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture)
        : fallback;

    /// <summary>A number or the default.</summary>
    public double Number(string key, double fallback) => _values.TryGetValue(key, out string? v) && v is not null
        ? double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)
        : fallback;
}
