using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Resilience.Ingest.Mqtt.Broker;

namespace Resilience.Silo.Ingest;

/// <summary>
/// <c>Resilience.Silo device-password &lt;sensorId&gt; --file &lt;path&gt;</c>: adds or rotates a device's MQTT password in a
/// mosquitto_passwd file (PBKDF2-SHA512 <c>$7$</c>, which mosquitto reads too) and prints the new password once.
/// </summary>
internal static partial class DevicePasswordCommand
{
    public const string Usage = "usage: Resilience.Silo device-password <sensorId> --file <mosquitto_passwd file>";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? user = null;
        string? file = null;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--file" && i + 1 < args.Length)
            {
                file = args[++i];
            }
            else if (args[i].StartsWith("--file=", StringComparison.Ordinal))
            {
                file = args[i]["--file=".Length..];
            }
            else if (user is null && !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                user = args[i];
            }
            else
            {
                error.WriteLine($"device-password: unexpected argument '{args[i]}'.");
                error.WriteLine(Usage);
                return 2;
            }
        }

        if (user is null || string.IsNullOrEmpty(file))
        {
            error.WriteLine(Usage);
            return 2;
        }

        if (!SensorId().IsMatch(user))
        {
            error.WriteLine($"device-password: '{user}' is not a sensor id ([a-z0-9-]{{1,64}}).");
            return 2;
        }

        // 24 random bytes, URL-safe base64 without padding: 32 characters, 192 bits.
        string password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        try
        {
            MqttPasswordVerifier.SetPassword(file, user, password);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"device-password: cannot write '{file}': {ex.Message}");
            return 1;
        }

        error.WriteLine($"device-password: set the password of '{user}' in {Path.GetFullPath(file)}; it is shown once:");
        output.WriteLine(password);
        return 0;
    }

    [GeneratedRegex("^[a-z0-9-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SensorId();
}
