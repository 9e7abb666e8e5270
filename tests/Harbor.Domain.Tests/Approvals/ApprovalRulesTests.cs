using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Customers;
using Harbor.Domain.Extensions;
using Harbor.Domain.Orders;
using Harbor.Domain.Policy;

namespace Harbor.Domain.Tests.Approvals;

/// <summary>Rules 6, 8 and 9 as pure decisions.</summary>
public sealed class ApprovalRulesTests
{
    private static readonly PolicySettings Policy = new();
    private static readonly CompanyCalendar Calendar = new(Policy);
    private static readonly DateTimeOffset Now = new(2026, 12, 31, 23, 59, 0, TimeSpan.FromHours(8));
    private static readonly Guid Group = Guid.NewGuid();
    private static readonly Guid Sales = Guid.NewGuid();

    private static ExtensionRequest Request(int days, int thisMonth = 0) =>
        ExtensionRequest.Create(Guid.NewGuid(), Guid.NewGuid(), Sales, Group, days, "客户出差", thisMonth, Now, Policy, Calendar).Value!;

    [Theory]
    [InlineData(1, Role.Manager)]
    [InlineData(5, Role.Manager)]
    [InlineData(6, Role.Director)]
    [InlineData(15, Role.Director)]
    public void ExtensionCreate_Days_ManagerUpToFiveDirectorBeyond(int days, Role approver) =>
        Assert.Equal(approver, Request(days).ApproverRole);

    [Fact]
    public void ExtensionCreate_CountsAgainstTheLocalCalendarMonth()
    {
        // 23:59 on 31 December in Shanghai is still December there, whatever UTC says.
        Assert.Equal(new DateOnly(2026, 12, 1), Request(2).Month);
    }

    [Fact]
    public void ExtensionCreate_SecondThisMonth_ExtensionLimit() =>
        Assert.IsType<Refusal.ExtensionLimit>(ExtensionRequest.Create(Guid.NewGuid(), Guid.NewGuid(), Sales, Group, 2, "x", 1, Now, Policy, Calendar).Refusal);

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void ExtensionCreate_DaysOutOfRange_ValidationFailed(int days) =>
        Assert.IsType<Refusal.ValidationFailed>(ExtensionRequest.Create(Guid.NewGuid(), Guid.NewGuid(), Sales, Group, days, "x", 0, Now, Policy, Calendar).Refusal);

    [Fact]
    public void ExtensionDecide_ManagerOnSixDays_RequiresDirector() =>
        Assert.IsType<Refusal.RequiresDirector>(Request(6).Decide(new Viewer(Guid.NewGuid(), Role.Manager, Group), true, null, Now));

    [Fact]
    public void ExtensionDecide_ManagerOfAnotherGroup_Forbidden() =>
        Assert.IsType<Refusal.Forbidden>(Request(2).Decide(new Viewer(Guid.NewGuid(), Role.Manager, Guid.NewGuid()), true, null, Now));

    [Fact]
    public void ExtensionDecide_Twice_AlreadyDecided()
    {
        var request = Request(2);
        var director = new Viewer(Guid.NewGuid(), Role.Director, null);
        Assert.Null(request.Decide(director, false, "不批", Now));

        Assert.IsType<Refusal.AlreadyDecided>(request.Decide(director, true, null, Now));
        Assert.Equal(ExtensionStatus.Rejected, request.Status);
    }

    [Fact]
    public void ExtensionDecide_AfterMarkedTooLate_TooLate()
    {
        var request = Request(2);
        Assert.True(request.MarkTooLate(Now));

        Assert.IsType<Refusal.TooLate>(request.Decide(new Viewer(Guid.NewGuid(), Role.Director, null), true, null, Now));
    }

    [Fact]
    public void ExtensionFollowMerge_Pending_MovesToTheKeptCustomerDecided_StaysPut()
    {
        var kept = Guid.NewGuid();
        var pending = Request(3);
        var decided = Request(3);
        var before = decided.CustomerId;
        decided.MarkTooLate(Now);

        Assert.True(pending.FollowMerge(kept));
        Assert.Equal(kept, pending.CustomerId);
        Assert.False(decided.FollowMerge(kept));
        Assert.Equal(before, decided.CustomerId);
    }

    [Fact]
    public void CooperationFollowMerge_Live_MovesWithItsShareEnded_StaysPut()
    {
        var kept = Guid.NewGuid();
        var live = CooperationAgreement.Propose(Guid.NewGuid(), Guid.NewGuid(), Sales, Group, Guid.NewGuid(), 30, 0, Now).Value!;
        var ended = CooperationAgreement.Propose(Guid.NewGuid(), Guid.NewGuid(), Sales, Group, Guid.NewGuid(), 30, 0, Now).Value!;
        ended.End(null, Now);

        Assert.True(live.FollowMerge(kept));
        Assert.Equal((kept, 30), (live.CustomerId, live.SharePercent));
        Assert.False(ended.FollowMerge(kept));
        Assert.NotEqual(kept, ended.CustomerId);
    }

    [Fact]
    public void CustomerExtend_FiveDays_DueReminderAndReleaseMove()
    {
        var details = new CustomerDetails("杭州青禾贸易有限公司", null, null, null, null, null).Validate(TestPhones.Keys).Value!;
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var customer = Customer.Register(Guid.NewGuid(), details, Sales, ProtectionTerm.StartingAt(start, Policy, Calendar), Sales, start);

        var due = customer.Extend(5, Guid.NewGuid(), "+5", start, Calendar);

        Assert.Equal(new DateOnly(2026, 12, 21), due.Value);
        Assert.Equal(new DateTimeOffset(2026, 12, 20, 9, 0, 0, TimeSpan.FromHours(8)), customer.RemindAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 21, 10, 0, 0, TimeSpan.FromHours(8)), customer.ReleaseAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void CooperationPropose_ShareOutOfRange_ValidationFailed(int share) =>
        Assert.IsType<Refusal.ValidationFailed>(CooperationAgreement.Propose(Guid.NewGuid(), Guid.NewGuid(), Sales, Group, Guid.NewGuid(), share, 0, Now).Refusal);

    [Fact]
    public void CooperationPropose_OwnerKeepsAtLeastOnePercent() =>
        Assert.IsType<Refusal.ValidationFailed>(CooperationAgreement.Propose(Guid.NewGuid(), Guid.NewGuid(), Sales, Group, Guid.NewGuid(), 40, 60, Now).Refusal);

    [Fact]
    public void CooperationDecide_OwnersGroupManagerOrDirectorOnly()
    {
        var cooperation = CooperationAgreement.Propose(Guid.NewGuid(), Guid.NewGuid(), Sales, Group, Guid.NewGuid(), 30, 0, Now).Value!;

        Assert.IsType<Refusal.Forbidden>(cooperation.CheckDecider(new Viewer(Guid.NewGuid(), Role.Manager, Guid.NewGuid())));
        Assert.IsType<Refusal.Forbidden>(cooperation.CheckDecider(new Viewer(Guid.NewGuid(), Role.Clerk, null)));
        Assert.Null(cooperation.CheckDecider(new Viewer(Guid.NewGuid(), Role.Manager, Group)));
        Assert.Null(cooperation.CheckDecider(new Viewer(Guid.NewGuid(), Role.Director, null)));
    }

    [Fact]
    public void CreditDecide_Owner_AllTheCredit()
    {
        var decision = Credit.Decide(Sales, Sales, CustomerStatus.Protected, [], 100m);

        Assert.True(decision.Credited);
        Assert.Equal([new CreditShare(Sales, 100m)], decision.Credits);
    }

    [Fact]
    public void CreditDecide_Cooperators_SplitByShareOwnerKeepsTheRestToTheFen()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        var decision = Credit.Decide(a, Sales, CustomerStatus.Signed, [new Cooperator(a, 33), new Cooperator(b, 33)], 100m);

        Assert.True(decision.Credited);
        Assert.Equal(100m, decision.Credits.Sum(c => c.Amount));
        Assert.Equal(34m, decision.Credits.Single(c => c.SalespersonId == Sales).Amount);
    }

    [Theory]
    [InlineData(CustomerStatus.InPool)]
    [InlineData(CustomerStatus.PendingPublication)]
    public void CreditDecide_CustomerNotHeld_NotInSheet(CustomerStatus status) =>
        Assert.Equal(CreditDecision.NotInSheet, Credit.Decide(Sales, null, status, [], 100m).Reason);

    [Fact]
    public void CreditDecide_SomeoneElse_NoCreditNotInSheet()
    {
        var decision = Credit.Decide(Guid.NewGuid(), Sales, CustomerStatus.Protected, [], 100m);

        Assert.False(decision.Credited);
        Assert.Empty(decision.Credits);
        Assert.Equal("not-in-sheet", decision.Reason);
    }

    [Theory]
    [InlineData(0.01, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(1.005, false)]
    public void CreditValidateAmount_PositiveTwoDecimals(decimal amount, bool valid) =>
        Assert.Equal(valid, Credit.ValidateAmount(amount) is null);
}
