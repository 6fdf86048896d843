using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Resilience.Alerts.Cap;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.Alerts.Tests.Scenarios;
using Resilience.TestKit;

namespace Resilience.Alerts.Tests.Cap;

public sealed class CapPublisherTests
{
    private static readonly XNamespace s_cap = "urn:oasis:names:tc:emergency:cap:1.2";
    private static readonly XNamespace s_atom = "http://www.w3.org/2005/Atom";
    private const string BaseUrl = "http://127.0.0.1:8080";

    public static TheoryData<string> Names() => AlertScenarioTests.Names();

    [Theory]
    [MemberData(nameof(Names))]
    public async Task DocumentAsync_EveryVersionOfEveryScenario_ValidatesAgainstCap12Schema(string name)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        AlertScenario scenario = AlertScenarios.Get(name);
        using var context = new AlertsTestContext(scenario.Configuration, scenario.Start);
        await new AlertScenarioDriver(context).RunAsync(scenario, ct);
        var cap = new CapPublisher(context.Service, context.OptionsWrapper, context.Time);

        IReadOnlyList<AlertRecord> all = await context.Service.ListAsync(new AlertQuery(ActiveOnly: false), ct);
        all.Should().NotBeEmpty();
        foreach (AlertRecord alert in all)
        {
            for (int version = 1; version <= alert.Version; version++)
            {
                byte[]? document = await cap.DocumentAsync(alert.Id, version, BaseUrl, ct);
                document.Should().NotBeNull();
                CapSchema.Validate(document!).Should().BeEmpty($"alert {alert.Id} v{version}:\n{Encoding.UTF8.GetString(document!)}");
                XElement root = XDocument.Parse(Encoding.UTF8.GetString(document!)).Root!;
                root.Element(s_cap + "msgType")!.Value.Should().Be(version == 1 ? "Alert" : "Update");
                root.Element(s_cap + "sent")!.Value.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$");
                string[] references = root.Element(s_cap + "references")?.Value.Split(' ') ?? [];
                references.Should().HaveCount(version - 1);
                root.Elements(s_cap + "info").Should().HaveCount(2);
            }
        }
    }

    [Fact]
    public async Task DocumentAsync_ResolvedZoneAlert_IsAllClearUpdateWithPolygonReferencingEveryEarlierVersion()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext();
        AlertRule rule = new AlertRuleCatalog([]).For(new SensorRuleContext("danang-camle", DefaultRules.Zone))[0];
        var zone = new AlertSubject
        {
            Id = "danang-camle",
            Kind = "zone",
            Province = "danang",
            Name = "Cẩm Lệ (sông Hàn)",
            Area = "Cẩm Lệ",
            Polygon = [[16.01, 108.19], [16.03, 108.21], [16.00, 108.23]], // open ring: the writer closes it
        };
        RuleState state = rule.CreateState();
        DateTimeOffset start = context.Time.GetUtcNow();
        foreach ((int minute, double level) in new[] { (0, 1.0), (10, 2.0), (20, 0.0) })
        {
            context.Time.SetUtcNow(start.AddMinutes(minute));
            RuleTransition t = rule.Evaluate(ref state, new Reading(context.Time.GetUtcNow(), level), context.Time.GetUtcNow());
            await context.Service.ApplyAsync(zone, t, ct);
        }

        var cap = new CapPublisher(context.Service, context.OptionsWrapper, context.Time);
        AlertRecord alert = (await context.Service.ListAsync(new AlertQuery(ActiveOnly: false), ct)).Single();
        byte[] document = (await cap.DocumentAsync(alert.Id, null, BaseUrl, ct))!;

        CapSchema.Validate(document).Should().BeEmpty();
        XElement root = XDocument.Parse(Encoding.UTF8.GetString(document)).Root!;
        root.Element(s_cap + "msgType")!.Value.Should().Be("Update");
        root.Element(s_cap + "references")!.Value.Should().Be(
            "resilience-ioc@localhost,resilience-danang-alert-1-v1,2026-11-22T07:00:00+07:00 " +
            "resilience-ioc@localhost,resilience-danang-alert-1-v2,2026-11-22T07:10:00+07:00");
        root.Element(s_cap + "sent")!.Value.Should().Be("2026-11-22T07:20:00+07:00");
        XElement info = root.Elements(s_cap + "info").First();
        info.Element(s_cap + "language")!.Value.Should().Be("vi-VN");
        info.Element(s_cap + "category")!.Value.Should().Be("Met");
        info.Element(s_cap + "responseType")!.Value.Should().Be("AllClear");
        info.Element(s_cap + "severity")!.Value.Should().Be("Minor");
        info.Element(s_cap + "urgency")!.Value.Should().Be("Past");
        info.Element(s_cap + "expires")!.Value.Should().Be("2026-11-22T08:20:00+07:00");
        info.Element(s_cap + "area")!.Element(s_cap + "polygon")!.Value.Should().Be("16.01,108.19 16.03,108.21 16,108.23 16.01,108.19");
        root.Element(s_cap + "identifier")!.Value.Should().MatchRegex(@"^[^\s,]+$");
    }

    [Fact]
    public async Task DocumentAsync_GaugeEscalation_CarriesAlarmLevelsWithSourceAndTheNowcast()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext();
        var levels = new AlarmLevels(null, 2.0, 2.5);
        AlertRule rule = new AlertRuleCatalog([]).For(new SensorRuleContext("dn-camle-wl", DefaultRules.WaterLevel, "danang-camle", levels))
            .First(r => r.Kind == RuleKind.Level);
        DateTimeOffset start = context.Time.GetUtcNow();
        var next = new NextAlarm(3, "III", 2.5, 0.3, 7800, start.AddMinutes(5).AddSeconds(7800), "dn-camle-wl");
        var gauge = new AlertSubject
        {
            Id = "dn-camle-wl",
            Province = "danang",
            Name = "Cẩm Lệ (Hàn)",
            Lat = 16.006,
            Lon = 108.206,
            AlarmLevels = [new GaugeAlarmLevels("dn-camle-wl", "Cẩm Lệ (Hàn)", null, 2.0, 2.5, "https://tienphong.vn/x.tpo", false)],
        };
        RuleState state = rule.CreateState();
        AlertRecord? alert = null;
        for (int minute = 0; minute <= 5; minute += 5)
        {
            context.Time.SetUtcNow(start.AddMinutes(minute));
            RuleTransition t = rule.Evaluate(ref state, new Reading(context.Time.GetUtcNow(), 2.1), context.Time.GetUtcNow());
            alert = await context.Service.ApplyAsync(gauge with { NextAlarm = next }, t, ct) ?? alert;
        }

        alert.Should().NotBeNull();
        alert!.NextAlarm.Should().Be(next);
        alert.AlarmLevels.Should().ContainSingle().Which.II.Should().Be(2.0);
        string json = AlertStore.Serialize(alert);
        json.Should().Contain("\"alarmLevels\":[{\"gaugeId\":\"dn-camle-wl\"").And.Contain("\"i\":null,\"ii\":2,\"iii\":2.5")
            .And.Contain("\"nextAlarm\":{\"level\":3,\"levelName\":\"III\",\"thresholdM\":2.5,\"rateMPerHour\":0.3,\"etaSeconds\":7800");
        json.Should().NotContain("\"area\":{\"alarmLevels\"", "the levels are carried once, at the top");
        var cap = new CapPublisher(context.Service, context.OptionsWrapper, context.Time);
        byte[] document = (await cap.DocumentAsync(alert.Id, null, BaseUrl, ct))!;

        CapSchema.Validate(document).Should().BeEmpty();
        XElement root = XDocument.Parse(Encoding.UTF8.GetString(document)).Root!;
        XElement[] infos = [.. root.Elements(s_cap + "info")];
        Dictionary<string, string> parameters = infos[1].Elements(s_cap + "parameter")
            .ToDictionary(p => p.Element(s_cap + "valueName")!.Value, p => p.Element(s_cap + "value")!.Value);
        parameters["resilience:alarmLevels"].Should().Be("gauge=dn-camle-wl; I=unknown; II=2; III=2.5; unit=m; verified=false; source=https://tienphong.vn/x.tpo");
        parameters["resilience:nextAlarm"].Should().StartWith("level=III; thresholdM=2.5; rateMPerHour=0.3; etaSeconds=7800; at=2026-11-22T09:15:00+07:00");
        infos[1].Element(s_cap + "description")!.Value.Should()
            .Contain("Alarm levels: I unknown, II 2 m, III 2.5 m (source: https://tienphong.vn/x.tpo; unverified).")
            .And.Contain("At 0.3 m/h, alarm III in about 2 h 10 min (around 09:15");
        infos[0].Element(s_cap + "description")!.Value.Should().Contain("dự kiến đạt báo động III sau khoảng 2 giờ 10 phút");
    }

    [Fact]
    public async Task ApplyAsync_Deescalation_DropsTheNowcastButKeepsTheLevels()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext();
        AlertRule rule = new AlertRuleCatalog([]).For(new SensorRuleContext("danang-camle", DefaultRules.Zone))[0];
        var zone = new AlertSubject
        {
            Id = "danang-camle",
            Kind = "zone",
            Province = "danang",
            AlarmLevels = [new GaugeAlarmLevels("g1", "g1", 1.0, 2.0, 3.0, "QĐ 05/2020", true)],
        };
        var next = new NextAlarm(3, "III", 3.0, 0.5, 3600, context.Time.GetUtcNow().AddHours(1), "g1");
        RuleState state = rule.CreateState();
        AlertRecord? alert = null;
        foreach (double level in new[] { 2.0, 1.0 })
        {
            context.Time.Advance(TimeSpan.FromMinutes(5));
            RuleTransition t = rule.Evaluate(ref state, new Reading(context.Time.GetUtcNow(), level), context.Time.GetUtcNow());
            alert = await context.Service.ApplyAsync(zone with { NextAlarm = next }, t, ct);
            if (level == 2.0)
            {
                alert!.NextAlarm.Should().Be(next);
            }
        }

        alert!.State.Should().Be(AlertState.Deescalated);
        alert.NextAlarm.Should().BeNull("a falling river has no next alarm to announce");
        alert.AlarmLevels.Should().ContainSingle().Which.Verified.Should().BeTrue();
    }

    [Fact]
    public async Task DocumentAsync_AlertResolvedAsMistake_IsCancel()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext();
        AlertRecord alert = await RaiseAirQualityAsync(context, 180, ct);
        await context.Service.ResolveAsync(alert.Id, "officer.lan", "test message sent by mistake", mistaken: true, ct);
        var cap = new CapPublisher(context.Service, context.OptionsWrapper, context.Time);

        byte[] document = (await cap.DocumentAsync(alert.Id, null, BaseUrl, ct))!;

        CapSchema.Validate(document).Should().BeEmpty();
        XElement root = XDocument.Parse(Encoding.UTF8.GetString(document)).Root!;
        root.Element(s_cap + "msgType")!.Value.Should().Be("Cancel");
        root.Element(s_cap + "references")!.Value.Should().Contain("resilience-hanoi-alert-1-v1");
        root.Elements(s_cap + "info").First().Element(s_cap + "category")!.Value.Should().Be("Env");
        root.Elements(s_cap + "info").First().Element(s_cap + "area")!.Element(s_cap + "circle")!.Value.Should().Be("21.03,105.85 2");
    }

    [Fact]
    public async Task DocumentAsync_UnknownVersion_ReturnsNull()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext();
        AlertRecord alert = await RaiseAirQualityAsync(context, 180, ct);
        var cap = new CapPublisher(context.Service, context.OptionsWrapper, context.Time);

        (await cap.DocumentAsync(alert.Id, 7, BaseUrl, ct)).Should().BeNull();
        (await cap.DocumentAsync(999, null, BaseUrl, ct)).Should().BeNull();
    }

    [Fact]
    public async Task FeedAsync_Alerts_ParsesAsAtomAndLinksEveryEntryToItsCapDocument()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        AlertScenario scenario = AlertScenarios.Get("level-I-II-III-and-back");
        using var context = new AlertsTestContext(scenario.Configuration, scenario.Start);
        await new AlertScenarioDriver(context).RunAsync(scenario, ct);
        await RaiseAirQualityAsync(context, 250, ct);
        var cap = new CapPublisher(context.Service, context.OptionsWrapper, context.Time);

        byte[] feed = await cap.FeedAsync(BaseUrl, ct);

        XElement root = XDocument.Parse(Encoding.UTF8.GetString(feed)).Root!;
        root.Name.Should().Be(s_atom + "feed");
        root.Element(s_atom + "id")!.Value.Should().NotBeNullOrEmpty();
        root.Element(s_atom + "updated")!.Value.Should().NotBeNullOrEmpty();
        List<XElement> entries = root.Elements(s_atom + "entry").ToList();
        IReadOnlyList<AlertRecord> all = await context.Service.ListAsync(new AlertQuery(ActiveOnly: false), ct);
        all.Count.Should().BeGreaterThanOrEqualTo(2); // the level alert, its rate-of-rise alert, the air-quality alert
        entries.Should().HaveCount(all.Count);
        foreach (XElement entry in entries)
        {
            XElement link = entry.Elements(s_atom + "link").Single(l => (string?)l.Attribute("rel") == "alternate");
            link.Attribute("type")!.Value.Should().Be("application/cap+xml");
            string href = link.Attribute("href")!.Value;
            Match match = Regex.Match(href, @"^http://127\.0\.0\.1:8080/alerts/(\d+)\.cap$");
            match.Success.Should().BeTrue(href);
            byte[]? document = await cap.DocumentAsync(long.Parse(match.Groups[1].Value), null, BaseUrl, ct);
            document.Should().NotBeNull();
            CapSchema.Validate(document!).Should().BeEmpty();
            entry.Element(s_atom + "title")!.Value.Should().NotBeNullOrEmpty();
            entry.Element(s_atom + "updated")!.Value.Should().NotBeNullOrEmpty();
        }

        entries[0].Element(s_atom + "title")!.Value.Should().Contain("Air quality Very bad");
    }

    internal static async Task<AlertRecord> RaiseAirQualityAsync(AlertsTestContext context, double aqi, CancellationToken ct)
    {
        AlertRule rule = new AlertRuleCatalog([]).For(new SensorRuleContext("hn-aq-1", DefaultRules.AirQuality))[0];
        RuleState state = rule.CreateState();
        var subject = new AlertSubject { Id = "hn-aq-1", Province = "hanoi", Name = "Hoàn Kiếm", Lat = 21.03, Lon = 105.85 };
        AlertRecord? alert = null;
        for (int i = 0; i < 2; i++)
        {
            context.Time.Advance(TimeSpan.FromHours(1));
            RuleTransition t = rule.Evaluate(ref state, new Reading(context.Time.GetUtcNow(), aqi), context.Time.GetUtcNow());
            alert = await context.Service.ApplyAsync(subject, t, ct) ?? alert;
        }

        return alert!;
    }
}
