using System.Reflection;
using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;

namespace Harbor.Domain.Tests.Policy;

/// <summary>Rules 2 and 4 on the customer itself: reminder, expiry, publication, claim, cool-down.</summary>
public sealed class TimeRulesTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private static readonly PolicySettings Policy = new();
    private static readonly CompanyCalendar Calendar = new(Policy);
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0, int second = 0) => new(2026, month, day, hour, minute, second, Shanghai);

    private static Customer Registered(DateTimeOffset at)
    {
        var details = new CustomerDetails("北京星辰科技有限公司", null, null, null, null, null).Validate(TestPhones.Keys).Value!;
        return Customer.Register(Guid.NewGuid(), details, Owner, ProtectionTerm.StartingAt(at, Policy, Calendar), Owner, at);
    }

    [Fact]
    public void NeedsReminder_BeforeAndAtNineTheDayBefore_OnlyFromNine()
    {
        var customer = Registered(Local(12, 1, 9));

        Assert.False(customer.NeedsReminder(Local(12, 15, 8, 59, 59)));
        Assert.True(customer.NeedsReminder(Local(12, 15, 9)));
    }

    [Fact]
    public void NeedsReminder_AlreadyReminded_NotAgain()
    {
        var customer = Registered(Local(12, 1, 9));
        customer.MarkReminded();

        Assert.False(customer.NeedsReminder(Local(12, 15, 9)));
    }

    [Fact]
    public void NeedsReminder_AlreadyDue_NoLongerUseful()
    {
        var customer = Registered(Local(12, 1, 9));

        Assert.False(customer.NeedsReminder(Local(12, 16, 10)));
    }

    [Fact]
    public void ExpireIfDue_OneSecondBeforeTenOnDueDay_StillProtected()
    {
        var customer = Registered(Local(12, 1, 9));

        Assert.False(customer.ExpireIfDue(Local(12, 16, 9, 59, 59)));
        Assert.Equal(CustomerStatus.Protected, customer.Status);
    }

    [Fact]
    public void ExpireIfDue_AtTenOnDueDay_InPoolWithExpiredAndPublishedEventsAtTen()
    {
        var customer = Registered(Local(12, 1, 9));

        Assert.True(customer.ExpireIfDue(Local(12, 16, 10)));

        Assert.Equal(CustomerStatus.InPool, customer.Status);
        Assert.Null(customer.OwnerId);
        Assert.Equal(Local(12, 16, 10), customer.PublishedAt);
        var expired = Assert.Single(customer.History, e => e.Kind == CustomerEventKind.Expired);
        Assert.Equal(Owner, expired.SalespersonId);
        Assert.Null(expired.ActorId);
        Assert.Contains(customer.History, e => e.Kind == CustomerEventKind.Published && e.At == Local(12, 16, 10));
    }

    [Fact]
    public void ExpireIfDue_SweepLateAfterDowntime_EventsCarryThePolicyInstant()
    {
        var customer = Registered(Local(12, 1, 9));

        customer.ExpireIfDue(Local(12, 19, 8));

        Assert.All(customer.History.Where(e => e.Kind != CustomerEventKind.Registered), e => Assert.Equal(Local(12, 16, 10), e.At));
    }

    [Fact]
    public void ExpireIfDue_Twice_SecondDoesNothing()
    {
        var customer = Registered(Local(12, 1, 9));
        customer.ExpireIfDue(Local(12, 16, 10));

        Assert.False(customer.ExpireIfDue(Local(12, 16, 10)));
        Assert.Single(customer.History, e => e.Kind == CustomerEventKind.Expired);
    }

    [Fact]
    public void PublishIfDue_ReleasedBeforeTen_PublishedAtTenNotBefore()
    {
        var customer = Registered(Local(12, 1, 9));
        customer.Release(Owner, null, Local(12, 3, 9, 59), Calendar);

        Assert.False(customer.PublishIfDue(Local(12, 3, 9, 59, 59)));
        Assert.True(customer.PublishIfDue(Local(12, 3, 10)));
        Assert.Equal(CustomerStatus.InPool, customer.Status);
    }

    [Fact]
    public void Claim_InPool_FreshProtectionFromToday()
    {
        var customer = Registered(Local(12, 1, 9));
        customer.ExpireIfDue(Local(12, 16, 10));
        var now = Local(12, 16, 10, 0, 1);

        var claimed = customer.Claim(Other, ProtectionTerm.StartingAt(now, Policy, Calendar), now);

        Assert.True(claimed.Succeeded);
        Assert.Equal(Other, customer.OwnerId);
        Assert.Equal(new DateOnly(2026, 12, 31), customer.DueOn);
        Assert.Contains(customer.History, e => e.Kind == CustomerEventKind.Claimed && e.SalespersonId == Other);
    }

    [Fact]
    public void Claim_HeldBySomeone_AlreadyClaimed()
    {
        var customer = Registered(Local(12, 1, 9));

        var claimed = customer.Claim(Other, ProtectionTerm.StartingAt(Local(12, 2, 9), Policy, Calendar), Local(12, 2, 9));

        Assert.IsType<Refusal.AlreadyClaimed>(claimed.Refusal);
        Assert.Equal(Owner, customer.OwnerId);
    }

    [Fact]
    public void Claim_PendingPublication_NotPublishedWithThePublicationTime()
    {
        var customer = Registered(Local(12, 1, 9));
        customer.Release(Owner, null, Local(12, 2, 11), Calendar);

        var claimed = customer.Claim(Other, ProtectionTerm.StartingAt(Local(12, 2, 12), Policy, Calendar), Local(12, 2, 12));

        Assert.Equal(Local(12, 3, 10), Assert.IsType<Refusal.NotPublished>(claimed.Refusal).PublishAt);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(29, true)]
    [InlineData(30, false)]
    [InlineData(45, false)]
    public void CoolDown_DaysAfterLosingIt_BlockedForThirtyDays(int daysLater, bool blocked)
    {
        var lostAt = Local(12, 16, 10);

        var refusal = CoolDown.Check(Guid.NewGuid(), lostAt, lostAt.AddDays(daysLater), Policy);

        Assert.Equal(blocked, refusal is Refusal.CoolDown);
    }

    [Fact]
    public void CoolDown_NeverLost_NoRefusal() =>
        Assert.Null(CoolDown.Check(Guid.NewGuid(), null, Local(12, 16, 10), Policy));

    [Fact]
    public void CoolDown_SetToZero_Off() =>
        Assert.Null(CoolDown.Check(Guid.NewGuid(), Local(12, 16, 10), Local(12, 16, 10), Policy with { ReclaimCoolDownDays = 0 }));

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("+86 138-1234-5678", "138****5678")]
    [InlineData("010-88886666", "010****6666")]
    [InlineData("8888-6666", "88**6666")]
    [InlineData("12345", "*****")]
    [InlineData(null, null)]
    public void MaskingPhone_Variants_FirstAndLastDigitsOnly(string? phone, string? masked) =>
        Assert.Equal(masked, Masking.Phone(phone));

    [Theory]
    [InlineData("张伟", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("A", "A*")]
    [InlineData(" ", null)]
    public void MaskingName_Variants_FamilyNameOnly(string? name, string? masked) =>
        Assert.Equal(masked, Masking.Name(name));
}
