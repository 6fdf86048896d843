using System.Text;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// What one connected client may publish and subscribe to, compiled at CONNECT from its role, its identity and the
/// extra <see cref="MqttBrokerOptions.Acl"/> grants. Publishing is checked per PUBLISH (a device's own two topics are
/// compared as bytes); a subscription is granted only when every topic its filter can match is readable, so
/// deliveries need no further check. No network client ever writes <c>alerts/#</c> or a <c>$</c> topic.
/// </summary>
internal sealed class MqttPermissions
{
    private static readonly byte[] s_alerts = "alerts"u8.ToArray();
    private readonly IMqttDeviceDirectory? _directory;
    private readonly string? _deviceId;
    private readonly bool _publishAnywhere;
    private readonly byte[][] _publishFilters;
    private readonly string[] _readFilters;
    private byte[] _telemetry = [];
    private byte[] _status = [];
    private string? _province;

    private MqttPermissions(MqttClientRole role, string? deviceId, IMqttDeviceDirectory? directory, List<string> publish, List<string> read)
    {
        Role = role;
        _directory = directory;
        _deviceId = deviceId;
        _publishAnywhere = role == MqttClientRole.Open;
        if (deviceId is not null)
        {
            if (directory is null)
            {
                publish.Add($"sensors/+/{deviceId}/telemetry");
                publish.Add($"sensors/+/{deviceId}/status");
                read.Add($"sensors/+/{deviceId}/command");
            }
            else if (directory.TryGetProvince(deviceId, out string? province))
            {
                SetProvince(province);
                read.Add($"sensors/{province}/{deviceId}/command");
            }
        }

        _publishFilters = publish.Select(Encoding.UTF8.GetBytes).ToArray();
        _readFilters = [.. read];
    }

    public MqttClientRole Role { get; }

    /// <summary>
    /// Compiles a client's permissions. <paramref name="userName"/> is null for anonymous clients; an unverified name
    /// (no user database) gets the anonymous role and only fills <c>%u</c> in ACL patterns.
    /// </summary>
    public static MqttPermissions Create(MqttBrokerOptions options, IMqttDeviceDirectory? directory, string? userName, bool verified, string clientId)
    {
        MqttClientRole role = userName is null || !verified
            ? options.AnonymousRole
            : options.Roles.TryGetValue(userName, out MqttClientRole r) ? r : MqttClientRole.Device;
        var publish = new List<string>();
        var read = new List<string>();
        string? deviceId = null;
        switch (role)
        {
            case MqttClientRole.Device:
                if (userName is not null && verified && IsSafeLevel(userName))
                {
                    deviceId = userName;
                }

                break;
            case MqttClientRole.Gateway:
                publish.Add("sensors/+/+/telemetry");
                publish.Add("sensors/+/+/status");
                break;
            case MqttClientRole.AlertsReader:
                read.Add("alerts/#");
                break;
            case MqttClientRole.Operations:
                read.Add("sensors/#");
                read.Add("alerts/#");
                break;
            case MqttClientRole.Open:
                read.Add("#");
                break;
        }

        foreach (MqttAclRuleOptions rule in options.Acl)
        {
            if (rule.User is not null && !string.Equals(rule.User, userName, StringComparison.Ordinal))
            {
                continue;
            }

            string? filter = Substitute(rule.Topic, userName, clientId);
            if (filter is null)
            {
                continue;
            }

            if ((rule.Access & MqttAclAccess.Write) != 0)
            {
                publish.Add(filter);
            }

            if ((rule.Access & MqttAclAccess.Read) != 0)
            {
                read.Add(filter);
            }
        }

        return new MqttPermissions(role, deviceId, directory, publish, read);
    }

    /// <summary>May the client publish to <paramref name="topic"/> (UTF-8)?</summary>
    public bool CanPublish(ReadOnlySpan<byte> topic)
    {
        if (_telemetry.Length != 0 && (topic.SequenceEqual(_telemetry) || topic.SequenceEqual(_status)))
        {
            return true;
        }

        if (topic.IsEmpty || topic[0] == (byte)'$' || IsAlertsTopic(topic))
        {
            return false;
        }

        if (_publishAnywhere)
        {
            return true;
        }

        foreach (byte[] filter in _publishFilters)
        {
            if (Matches(filter, topic))
            {
                return true;
            }
        }

        if (_deviceId is not null && _directory is not null && _directory.TryGetProvince(_deviceId, out string? province)
            && !string.Equals(province, _province, StringComparison.Ordinal))
        {
            // The registry moved the device since it connected.
            SetProvince(province);
            return topic.SequenceEqual(_telemetry) || topic.SequenceEqual(_status);
        }

        return false;
    }

    /// <summary>May the client subscribe to <paramref name="filter"/> (without a <c>$share/group/</c> prefix)?</summary>
    public bool CanSubscribe(string filter)
    {
        foreach (string allowed in _readFilters)
        {
            if (Covers(allowed, filter))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when every topic <paramref name="requested"/> can match is also matched by <paramref name="allowed"/>.</summary>
    internal static bool Covers(string allowed, string requested)
    {
        string[] a = allowed.Split('/');
        string[] r = requested.Split('/');
        bool dollar = r[0].StartsWith('$');
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == "#")
            {
                return !(i == 0 && dollar);
            }

            if (i >= r.Length || r[i] == "#")
            {
                return false;
            }

            if (a[i] == "+")
            {
                if (i == 0 && dollar)
                {
                    return false;
                }

                continue;
            }

            if (!string.Equals(a[i], r[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return r.Length == a.Length;
    }

    /// <summary>Topic filter matching on UTF-8 bytes (the wildcards and separator are ASCII), MQTT 5.0 §4.7.</summary>
    internal static bool Matches(ReadOnlySpan<byte> filter, ReadOnlySpan<byte> topic)
    {
        if (topic.Length > 0 && topic[0] == (byte)'$' && filter.Length > 0 && (filter[0] == (byte)'+' || filter[0] == (byte)'#'))
        {
            return false;
        }

        while (true)
        {
            int fs = filter.IndexOf((byte)'/');
            ReadOnlySpan<byte> fLevel = fs < 0 ? filter : filter.Slice(0, fs);
            if (fLevel.Length == 1 && fLevel[0] == (byte)'#')
            {
                return true;
            }

            int ts = topic.IndexOf((byte)'/');
            ReadOnlySpan<byte> tLevel = ts < 0 ? topic : topic.Slice(0, ts);
            if (!(fLevel.Length == 1 && fLevel[0] == (byte)'+') && !fLevel.SequenceEqual(tLevel))
            {
                return false;
            }

            if (fs < 0)
            {
                return ts < 0;
            }

            if (ts < 0)
            {
                ReadOnlySpan<byte> rest = filter.Slice(fs + 1);
                return rest.Length == 1 && rest[0] == (byte)'#';
            }

            filter = filter.Slice(fs + 1);
            topic = topic.Slice(ts + 1);
        }
    }

    private static bool IsAlertsTopic(ReadOnlySpan<byte> topic)
        => topic.StartsWith(s_alerts) && (topic.Length == s_alerts.Length || topic[s_alerts.Length] == (byte)'/');

    private void SetProvince(string province)
    {
        _province = province;
        _telemetry = Encoding.UTF8.GetBytes($"sensors/{province}/{_deviceId}/telemetry");
        _status = Encoding.UTF8.GetBytes($"sensors/{province}/{_deviceId}/status");
    }

    private static string? Substitute(string pattern, string? userName, string clientId)
    {
        if (pattern.Contains("%u", StringComparison.Ordinal))
        {
            if (string.IsNullOrEmpty(userName) || !IsSafeLevel(userName))
            {
                return null;
            }

            pattern = pattern.Replace("%u", userName, StringComparison.Ordinal);
        }

        if (pattern.Contains("%c", StringComparison.Ordinal))
        {
            if (clientId.Length == 0 || !IsSafeLevel(clientId))
            {
                return null;
            }

            pattern = pattern.Replace("%c", clientId, StringComparison.Ordinal);
        }

        return Packets.MqttTopic.IsValidFilter(pattern) ? pattern : null;
    }

    private static bool IsSafeLevel(string value) => value.Length > 0 && value.AsSpan().IndexOfAny('/', '+', '#') < 0 && value[0] != '$';
}
