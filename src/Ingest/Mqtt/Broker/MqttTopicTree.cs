using System.Buffers;
using System.Text;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// The subscription index: a tree of topic levels with <c>+</c>/<c>#</c> children and shared-subscription groups
/// (round-robin). Matching walks only the levels of the topic, without allocating (span lookups into the
/// level dictionaries), and merges several subscriptions of one session into one delivery at the highest QoS.
/// </summary>
internal sealed class MqttTopicTree
{
    private readonly Lock _lock = new();
    private readonly Node _root = new();
    private int _stamp;

    /// <summary>Adds or replaces (same session or handler, same filter) a subscription.</summary>
    public void Add(MqttSubscriber subscriber)
    {
        string filter = subscriber.Filter;
        string? group = null;
        if (MqttTopic.TrySplitShared(filter, out string g, out string inner))
        {
            group = g;
            filter = inner;
        }

        lock (_lock)
        {
            Node node = Walk(filter, create: true)!;
            List<MqttSubscriber> list;
            if (group is null)
            {
                list = node.Subscribers ??= [];
            }
            else
            {
                node.Groups ??= new Dictionary<string, SharedGroup>(StringComparer.Ordinal);
                if (!node.Groups.TryGetValue(group, out SharedGroup? shared))
                {
                    shared = new SharedGroup();
                    node.Groups.Add(group, shared);
                }

                list = shared.Members;
            }

            int existing = IndexOf(list, subscriber.Session, subscriber.Handler);
            if (existing >= 0)
            {
                list[existing] = subscriber;
            }
            else
            {
                list.Add(subscriber);
            }
        }
    }

    /// <summary>Removes a subscription; false when there was none.</summary>
    public bool Remove(string subscribedFilter, MqttSession? session, IMqttMessageHandler? handler)
    {
        string filter = subscribedFilter;
        string? group = null;
        if (MqttTopic.TrySplitShared(subscribedFilter, out string g, out string inner))
        {
            group = g;
            filter = inner;
        }

        lock (_lock)
        {
            Node? node = Walk(filter, create: false);
            if (node is null)
            {
                return false;
            }

            List<MqttSubscriber>? list = group is null ? node.Subscribers : (node.Groups is not null && node.Groups.TryGetValue(group, out SharedGroup? shared) ? shared.Members : null);
            if (list is null)
            {
                return false;
            }

            int index = IndexOf(list, session, handler);
            if (index < 0)
            {
                return false;
            }

            list.RemoveAt(index);
            return true;
        }
    }

    /// <summary>Appends the subscribers of <paramref name="topicUtf8"/> to <paramref name="results"/>.</summary>
    public void Match(ReadOnlySpan<byte> topicUtf8, List<MqttMatch> results)
    {
        char[]? rented = null;
        Span<char> chars = topicUtf8.Length <= 256 ? stackalloc char[topicUtf8.Length] : (rented = ArrayPool<char>.Shared.Rent(topicUtf8.Length));
        try
        {
            int n = Encoding.UTF8.GetChars(topicUtf8, chars);
            ReadOnlySpan<char> topic = chars.Slice(0, n);
            lock (_lock)
            {
                int stamp = ++_stamp;
                bool dollar = topic.Length > 0 && topic[0] == '$';
                MatchLevel(_root, topic, dollar, stamp, results);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static void MatchLevel(Node node, ReadOnlySpan<char> rest, bool skipWildcards, int stamp, List<MqttMatch> results)
    {
        int slash = rest.IndexOf('/');
        ReadOnlySpan<char> level = slash < 0 ? rest : rest.Slice(0, slash);
        bool last = slash < 0;
        ReadOnlySpan<char> next = last ? default : rest.Slice(slash + 1);

        if (!skipWildcards)
        {
            if (node.Hash is not null)
            {
                Collect(node.Hash, stamp, results);
            }

            if (node.Plus is not null)
            {
                Visit(node.Plus, last, next, stamp, results);
            }
        }

        if (node.Children is not null && node.Children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(level, out Node? child))
        {
            Visit(child, last, next, stamp, results);
        }
    }

    private static void Visit(Node child, bool last, ReadOnlySpan<char> next, int stamp, List<MqttMatch> results)
    {
        if (last)
        {
            Collect(child, stamp, results);
            if (child.Hash is not null)
            {
                // "a/#" matches "a" (the parent level).
                Collect(child.Hash, stamp, results);
            }
        }
        else
        {
            MatchLevel(child, next, false, stamp, results);
        }
    }

    private static void Collect(Node node, int stamp, List<MqttMatch> results)
    {
        if (node.Subscribers is not null)
        {
            foreach (MqttSubscriber s in node.Subscribers)
            {
                AddMatch(s, stamp, results);
            }
        }

        if (node.Groups is not null)
        {
            foreach (SharedGroup group in node.Groups.Values)
            {
                MqttSubscriber? chosen = group.Next();
                if (chosen is not null)
                {
                    results.Add(new MqttMatch(chosen, chosen.Qos));
                }
            }
        }
    }

    private static void AddMatch(MqttSubscriber s, int stamp, List<MqttMatch> results)
    {
        MqttSession? session = s.Session;
        if (session is null)
        {
            results.Add(new MqttMatch(s, s.Qos));
            return;
        }

        if (session.MatchStamp == stamp)
        {
            MqttMatch existing = results[session.MatchIndex];
            if (s.Qos > existing.Qos)
            {
                results[session.MatchIndex] = new MqttMatch(s, s.Qos);
            }

            return;
        }

        session.MatchStamp = stamp;
        session.MatchIndex = results.Count;
        results.Add(new MqttMatch(s, s.Qos));
    }

    private static int IndexOf(List<MqttSubscriber> list, MqttSession? session, IMqttMessageHandler? handler)
    {
        for (int i = 0; i < list.Count; i++)
        {
            MqttSubscriber s = list[i];
            if (session is not null ? ReferenceEquals(s.Session, session) : ReferenceEquals(s.Handler, handler))
            {
                return i;
            }
        }

        return -1;
    }

    private Node? Walk(string filter, bool create)
    {
        Node node = _root;
        foreach (string level in filter.Split('/'))
        {
            Node? next;
            if (level == "+")
            {
                next = node.Plus;
                if (next is null && create)
                {
                    next = node.Plus = new Node();
                }
            }
            else if (level == "#")
            {
                next = node.Hash;
                if (next is null && create)
                {
                    next = node.Hash = new Node();
                }
            }
            else
            {
                node.Children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
                if (!node.Children.TryGetValue(level, out next) && create)
                {
                    next = new Node();
                    node.Children.Add(level, next);
                }
            }

            if (next is null)
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Children { get; set; }

        public Node? Plus { get; set; }

        public Node? Hash { get; set; }

        public List<MqttSubscriber>? Subscribers { get; set; }

        public Dictionary<string, SharedGroup>? Groups { get; set; }
    }

    private sealed class SharedGroup
    {
        private int _next;

        public List<MqttSubscriber> Members { get; } = [];

        /// <summary>Round-robin over members, preferring ones whose client is connected (or in-process).</summary>
        public MqttSubscriber? Next()
        {
            int count = Members.Count;
            if (count == 0)
            {
                return null;
            }

            for (int i = 0; i < count; i++)
            {
                MqttSubscriber candidate = Members[(_next + i) % count];
                if (candidate.Session is null || candidate.Session.IsOnline)
                {
                    _next = (_next + i + 1) % count;
                    return candidate;
                }
            }

            MqttSubscriber any = Members[_next % count];
            _next = (_next + 1) % count;
            return any;
        }
    }
}
