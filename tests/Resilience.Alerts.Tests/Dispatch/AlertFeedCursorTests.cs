using Resilience.Alerts.Dispatch;

namespace Resilience.Alerts.Tests.Dispatch;

public sealed class AlertFeedCursorTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(30);

    [Fact]
    public void Accept_HigherSeqFirst_LowerOneIsAGapDeliveredOnceWhenItCommits()
    {
        var cursor = new AlertFeedCursor(9, 0, [.. Enumerable.Range(1, 9).Select(i => (long)i)], s_t0, s_grace);

        cursor.Accept(11, s_t0).Should().BeTrue();
        cursor.Gaps(10).Should().Equal(10);
        cursor.Accept(10, s_t0.AddSeconds(1)).Should().BeTrue("seq 10 committed after seq 11");
        cursor.Accept(10, s_t0.AddSeconds(2)).Should().BeFalse("each seq once");
        cursor.Accept(11, s_t0.AddSeconds(2)).Should().BeFalse();
        cursor.GapCount.Should().Be(0);
        cursor.High.Should().Be(11);
    }

    [Fact]
    public void Constructor_NumbersMissingBelowTheStart_AreGaps()
    {
        var cursor = new AlertFeedCursor(20, 10, [11, 12, 14, 20], s_t0, s_grace);

        cursor.High.Should().Be(20);
        cursor.Gaps(100).Should().Equal(13, 15, 16, 17, 18, 19);
        cursor.Accept(12, s_t0).Should().BeFalse("visible at start: not delivered again");
        cursor.Accept(13, s_t0).Should().BeTrue();
    }

    [Fact]
    public void Expire_GapOlderThanTheGraceWindow_IsGivenUp()
    {
        var cursor = new AlertFeedCursor(0, 0, [], s_t0, s_grace);
        cursor.Accept(3, s_t0);
        cursor.Accept(5, s_t0.AddSeconds(20));

        cursor.Expire(s_t0.AddSeconds(31)).Should().Be(2, "1 and 2 went missing at t0");
        cursor.Gaps(10).Should().Equal(4);
        cursor.Accept(1, s_t0.AddSeconds(32)).Should().BeFalse("given up");
        cursor.GivenUp.Should().Be(2);
    }

    [Fact]
    public void Accept_HugeJump_KeepsAtMostMaxGaps()
    {
        var cursor = new AlertFeedCursor(0, 0, [], s_t0, s_grace, maxGaps: 4);

        cursor.Accept(100, s_t0).Should().BeTrue();

        cursor.Gaps(10).Should().Equal(96, 97, 98, 99);
        cursor.GivenUp.Should().Be(95);
    }
}
