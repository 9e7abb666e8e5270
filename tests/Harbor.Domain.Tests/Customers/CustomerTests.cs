using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using static Harbor.Domain.Tests.Policy.Instants;

namespace Harbor.Domain.Tests.Customers;

public class CustomerTests
{
    private static readonly PolicySettings DefaultPolicy = new();
    private static readonly CompanyCalendar Calendar = new(DefaultPolicy);

    private static readonly Guid CustomerId = Guid.Parse("00000000-0000-0000-0000-00000000c001");
    private static readonly Guid Salesperson = Guid.Parse("00000000-0000-0000-0000-00000000a001");
    private static readonly Guid Clerk = Guid.Parse("00000000-0000-0000-0000-00000000b001");

    private static readonly ValidCustomerDetails Details = new(
        "北京星辰科技有限公司", "星辰科技", "010-8888 6666", "+861088886666", "91440300708461136T", "91440300708461136T",
        "张三", "北京市海淀区", "下周回访", []);

    private static readonly DateTimeOffset RegisteredAt = InShanghai(2026, 12, 1, 14, 30);

    /// <summary>The worked example: the clerk enters the customer under the salesperson on 1 December.</summary>
    private static Customer Registered() =>
        Customer.Register(CustomerId, Details, Salesperson, ProtectionTerm.StartingAt(RegisteredAt, DefaultPolicy, Calendar), Clerk, RegisteredAt);

    /// <summary>
    /// The domain has no transition yet into the pool, review or signing; until it has, the state is
    /// put directly so that ConflictFor and Release can be checked for every status.
    /// </summary>
    private static Customer RegisteredThenSetTo(CustomerStatus status)
    {
        var customer = Registered();
        typeof(Customer).GetProperty(nameof(Customer.Status))!.SetValue(customer, status);
        return customer;
    }

    [Fact]
    public void Register_WorkedExample_ProtectedForTheSalespersonUntilSixteenthAtTen()
    {
        var customer = Registered();

        Assert.Equal(CustomerId, customer.Id);
        Assert.Equal(CustomerStatus.Protected, customer.Status);
        Assert.Equal(Salesperson, customer.OwnerId);
        Assert.Equal(new DateOnly(2026, 12, 1), customer.StartsOn);
        Assert.Equal(new DateOnly(2026, 12, 16), customer.DueOn);
        AssertExactly(InShanghai(2026, 12, 15, 9, 0), customer.RemindAt);
        AssertExactly(InShanghai(2026, 12, 16, 10, 0), customer.ReleaseAt);
        Assert.Null(customer.PublishAt);
        Assert.Null(customer.PublishedAt);
        Assert.Equal(RegisteredAt, customer.CreatedAt);
        Assert.Equal(1, customer.Version);
    }

    [Fact]
    public void Register_Details_AreCopiedWithTheirKeys()
    {
        var customer = Registered();

        Assert.Equal("北京星辰科技有限公司", customer.Name);
        Assert.Equal("星辰科技", customer.NameKey);
        Assert.Equal("010-8888 6666", customer.Phone);
        Assert.Equal("+861088886666", customer.PhoneKey);
        Assert.Equal("91440300708461136T", customer.CreditCode);
        Assert.Equal("91440300708461136T", customer.CreditCodeKey);
        Assert.Equal("张三", customer.ContactName);
        Assert.Equal("北京市海淀区", customer.Address);
        Assert.Equal("下周回访", customer.Notes);
    }

    [Fact]
    public void Register_ByTheClerk_OneRegisteredEventWithActorAndSalesperson()
    {
        var registered = Assert.Single(Registered().History);

        Assert.Equal(CustomerEventKind.Registered, registered.Kind);
        Assert.Equal(CustomerId, registered.CustomerId);
        Assert.Equal(RegisteredAt, registered.At);
        Assert.Equal(Clerk, registered.ActorId);
        Assert.Equal(Salesperson, registered.SalespersonId);
        Assert.Null(registered.Reason);
    }

    // RULES.md, voluntary release: given up before 10:00, published at 10:00 that day; nobody can take it until then.
    [Fact]
    public void Release_BeforeTen_PendingPublicationAtTenTheSameDay()
    {
        var customer = Registered();

        var result = customer.Release(Salesperson, "not interested", InShanghai(2026, 12, 5, 9, 59, 59), Calendar);

        Assert.True(result.Succeeded);
        AssertExactly(InShanghai(2026, 12, 5, 10, 0), result.Value);
        Assert.Equal(CustomerStatus.PendingPublication, customer.Status);
        AssertExactly(InShanghai(2026, 12, 5, 10, 0), customer.PublishAt);
    }

    [Fact]
    public void Release_ByTheOwner_ClearsOwnerAndProtection()
    {
        var customer = Registered();

        customer.Release(Salesperson, "not interested", InShanghai(2026, 12, 5, 9, 0), Calendar);

        Assert.Null(customer.OwnerId);
        Assert.Null(customer.StartsOn);
        Assert.Null(customer.DueOn);
        Assert.Null(customer.RemindAt);
        Assert.Null(customer.ReleaseAt);
        Assert.Null(customer.PublishedAt);
    }

    [Fact]
    public void Release_ByTheClerk_ReleasedEventWithReasonAndThePreviousOwner()
    {
        var customer = Registered();
        var at = InShanghai(2026, 12, 5, 9, 0);

        customer.Release(Clerk, "salesperson left the company", at, Calendar);

        Assert.Equal([CustomerEventKind.Registered, CustomerEventKind.Released], customer.History.Select(e => e.Kind));
        var released = customer.History.Last();
        Assert.Equal(CustomerId, released.CustomerId);
        Assert.Equal(at, released.At);
        Assert.Equal(Clerk, released.ActorId);
        Assert.Equal(Salesperson, released.SalespersonId);
        Assert.Equal("salesperson left the company", released.Reason);
    }

    [Fact]
    public void Release_WithoutReason_ReleasedEventWithoutReason()
    {
        var customer = Registered();

        customer.Release(Salesperson, null, InShanghai(2026, 12, 5, 9, 0), Calendar);

        Assert.Null(customer.History.Last().Reason);
    }

    [Fact]
    public void Release_ChangesOwnership_BumpsVersion()
    {
        var customer = Registered();
        var before = customer.Version;

        customer.Release(Salesperson, null, InShanghai(2026, 12, 5, 9, 0), Calendar);

        Assert.Equal(before + 1, customer.Version);
    }

    [Fact]
    public void Release_ExactlyTen_PublishedAtTenTheNextDay()
    {
        var customer = Registered();

        var result = customer.Release(Salesperson, null, InShanghai(2026, 12, 5, 10, 0), Calendar);

        AssertExactly(InShanghai(2026, 12, 6, 10, 0), result.Value);
        AssertExactly(InShanghai(2026, 12, 6, 10, 0), customer.PublishAt);
    }

    [Fact]
    public void Release_AfterTen_PublishedAtTenTheNextDay()
    {
        var customer = Registered();

        var result = customer.Release(Salesperson, null, InShanghai(2026, 12, 5, 16, 45), Calendar);

        AssertExactly(InShanghai(2026, 12, 6, 10, 0), result.Value);
        AssertExactly(InShanghai(2026, 12, 6, 10, 0), customer.PublishAt);
    }

    [Fact]
    public void Release_LateOnNewYearsEve_PublishedOnFirstJanuary()
    {
        var customer = Registered();

        var result = customer.Release(Salesperson, null, InShanghai(2026, 12, 31, 23, 59), Calendar);

        AssertExactly(InShanghai(2027, 1, 1, 10, 0), result.Value);
    }

    [Fact]
    public void Release_Twice_SecondIsNotYourCustomer()
    {
        var customer = Registered();
        customer.Release(Salesperson, "first", InShanghai(2026, 12, 5, 9, 0), Calendar);

        var second = customer.Release(Salesperson, "second", InShanghai(2026, 12, 5, 9, 30), Calendar);

        Assert.False(second.Succeeded);
        Assert.Equal(new Refusal.NotYourCustomer(CustomerId), second.Refusal);
        Assert.Equal("not-your-customer", second.Refusal.Code);
    }

    [Fact]
    public void Release_Twice_RefusedCallChangesNothing()
    {
        var customer = Registered();
        customer.Release(Salesperson, "first", InShanghai(2026, 12, 5, 9, 0), Calendar);
        var version = customer.Version;
        var events = customer.History.Count;

        customer.Release(Salesperson, "second", InShanghai(2026, 12, 5, 11, 0), Calendar);

        Assert.Equal(CustomerStatus.PendingPublication, customer.Status);
        Assert.Null(customer.OwnerId);
        AssertExactly(InShanghai(2026, 12, 5, 10, 0), customer.PublishAt);
        Assert.Equal(version, customer.Version);
        Assert.Equal(events, customer.History.Count);
        Assert.Equal("first", customer.History.Last().Reason);
    }

    [Fact]
    public void Release_SignedCustomer_NotProtectedAndUnchanged()
    {
        var customer = RegisteredThenSetTo(CustomerStatus.Signed);
        var version = customer.Version;

        var result = customer.Release(Salesperson, null, InShanghai(2026, 12, 5, 9, 0), Calendar);

        Assert.Equal(new Refusal.NotProtected(CustomerId, CustomerStatus.Signed), result.Refusal);
        Assert.Equal(CustomerStatus.Signed, customer.Status);
        Assert.Equal(Salesperson, customer.OwnerId);
        Assert.Equal(version, customer.Version);
        Assert.Single(customer.History);
    }

    [Fact]
    public void Release_CustomerInPool_NotYourCustomer()
    {
        var customer = RegisteredThenSetTo(CustomerStatus.InPool);

        var result = customer.Release(Salesperson, null, InShanghai(2026, 12, 5, 9, 0), Calendar);

        Assert.Equal(new Refusal.NotYourCustomer(CustomerId), result.Refusal);
        Assert.Single(customer.History);
    }

    // Rule 3: the conflict a registration of an existing customer meets.
    [Fact]
    public void ConflictFor_InPool_InPoolRefusal()
    {
        var refusal = RegisteredThenSetTo(CustomerStatus.InPool).ConflictFor(null);

        Assert.Equal(new Refusal.InPool(CustomerId), refusal);
        Assert.Equal("in-pool", refusal.Code);
    }

    [Fact]
    public void ConflictFor_Protected_CustomerTakenWithHolderAndDueDay()
    {
        var holder = new Holder(Salesperson, "王小明", "A组");

        var refusal = Registered().ConflictFor(holder);

        Assert.Equal(new Refusal.CustomerTaken(CustomerId, CustomerStatus.Protected, holder, new DateOnly(2026, 12, 16), null), refusal);
        Assert.Equal("customer-taken", refusal.Code);
    }

    [Fact]
    public void ConflictFor_PendingReview_CustomerTakenWithHolderAndDueDay()
    {
        var holder = new Holder(Salesperson, "王小明", "A组");

        var refusal = RegisteredThenSetTo(CustomerStatus.PendingReview).ConflictFor(holder);

        Assert.Equal(new Refusal.CustomerTaken(CustomerId, CustomerStatus.PendingReview, holder, new DateOnly(2026, 12, 16), null), refusal);
    }

    [Fact]
    public void ConflictFor_Signed_CustomerTakenWithHolderAndNoDueDay()
    {
        var holder = new Holder(Salesperson, "王小明", null);

        var refusal = RegisteredThenSetTo(CustomerStatus.Signed).ConflictFor(holder);

        Assert.Equal(new Refusal.CustomerTaken(CustomerId, CustomerStatus.Signed, holder, null, null), refusal);
    }

    [Fact]
    public void ConflictFor_PendingPublication_CustomerTakenWithPublishAtAndNoHolder()
    {
        var customer = Registered();
        customer.Release(Salesperson, null, InShanghai(2026, 12, 5, 9, 0), Calendar);

        var refusal = customer.ConflictFor(new Holder(Salesperson, "王小明", "A组"));

        var taken = Assert.IsType<Refusal.CustomerTaken>(refusal);
        Assert.Equal(CustomerStatus.PendingPublication, taken.Status);
        Assert.Null(taken.Holder);
        Assert.Null(taken.DueOn);
        AssertExactly(InShanghai(2026, 12, 5, 10, 0), taken.PublishAt);
    }

    [Theory]
    [InlineData(CustomerStatus.Protected, true, true)]
    [InlineData(CustomerStatus.PendingReview, true, true)]
    [InlineData(CustomerStatus.PendingPublication, false, false)]
    [InlineData(CustomerStatus.InPool, false, false)]
    [InlineData(CustomerStatus.Signed, false, true)]
    [InlineData(CustomerStatus.Merged, false, false)]
    public void Status_EachStatus_UsesSlotOnlyWhenUnsignedAndHeld(CustomerStatus status, bool usesSlot, bool hasOwner)
    {
        Assert.Equal(usesSlot, status.UsesSlot());
        Assert.Equal(hasOwner, status.HasOwner());
    }
}
