using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// Topic access control. No rules: everything allowed. Otherwise a client may do only what a rule grants:
/// rules for its user, and user-less rules (patterns) with <c>%u</c>/<c>%c</c> substituted. A substitution that
/// would inject a wildcard or level separator (a user name like <c>a/#</c>) voids the rule.
/// </summary>
internal sealed class MqttAcl
{
    private readonly MqttAclRuleOptions[] _rules;

    public MqttAcl(IEnumerable<MqttAclRuleOptions> rules)
    {
        _rules = rules.ToArray();
    }

    public bool IsEnabled => _rules.Length > 0;

    public bool IsAllowed(string? userName, string clientId, ReadOnlySpan<char> topic, MqttAclAccess access)
    {
        if (_rules.Length == 0)
        {
            return true;
        }

        foreach (MqttAclRuleOptions rule in _rules)
        {
            if ((rule.Access & access) != access)
            {
                continue;
            }

            if (rule.User is not null && !string.Equals(rule.User, userName, StringComparison.Ordinal))
            {
                continue;
            }

            string? filter = Substitute(rule.Topic, userName, clientId);
            if (filter is not null && MqttTopicMatcher.Matches(filter, topic))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Substitute(string pattern, string? userName, string clientId)
    {
        if (!pattern.Contains('%', StringComparison.Ordinal))
        {
            return pattern;
        }

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

        return MqttTopic.IsValidFilter(pattern) ? pattern : null;
    }

    private static bool IsSafeLevel(string value) => value.AsSpan().IndexOfAny('/', '+', '#') < 0;
}
