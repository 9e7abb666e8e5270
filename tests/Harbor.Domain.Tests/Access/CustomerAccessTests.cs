using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;

namespace Harbor.Domain.Tests.Access;

/// <summary>Who is asking, relative to one salesperson (the owner) in group A.</summary>
public enum Asker
{
    TheSalesperson,
    AnotherSalesperson,
    ManagerOfTheSalespersonsGroup,
    ManagerOfAnotherGroup,
    ManagerWithoutGroup,
    Director,
    Clerk,
    Admin,
}

public class CustomerAccessTests
{
    private static readonly Guid Owner = Guid.Parse("00000000-0000-0000-0000-00000000a001");
    private static readonly Guid GroupA = Guid.Parse("00000000-0000-0000-0000-0000000000aa");
    private static readonly Guid GroupB = Guid.Parse("00000000-0000-0000-0000-0000000000bb");

    private static Viewer ViewerFor(Asker asker) => asker switch
    {
        Asker.TheSalesperson => new(Owner, Role.Salesperson, GroupA),
        Asker.AnotherSalesperson => new(Guid.Parse("00000000-0000-0000-0000-00000000a002"), Role.Salesperson, GroupA),
        Asker.ManagerOfTheSalespersonsGroup => new(Guid.Parse("00000000-0000-0000-0000-00000000d001"), Role.Manager, GroupA),
        Asker.ManagerOfAnotherGroup => new(Guid.Parse("00000000-0000-0000-0000-00000000d002"), Role.Manager, GroupB),
        Asker.ManagerWithoutGroup => new(Guid.Parse("00000000-0000-0000-0000-00000000d003"), Role.Manager, null),
        Asker.Director => new(Guid.Parse("00000000-0000-0000-0000-00000000e001"), Role.Director, null),
        Asker.Clerk => new(Guid.Parse("00000000-0000-0000-0000-00000000b001"), Role.Clerk, null),
        Asker.Admin => new(Guid.Parse("00000000-0000-0000-0000-00000000f001"), Role.Admin, null),
        _ => throw new ArgumentOutOfRangeException(nameof(asker)),
    };

    private static Customer OwnedCustomer()
    {
        var policy = new PolicySettings();
        var calendar = new CompanyCalendar(policy);
        var now = new DateTimeOffset(2026, 12, 1, 14, 30, 0, TimeSpan.FromHours(8));
        var details = new ValidCustomerDetails("北京星辰科技有限公司", "星辰科技", null, null, null, null, null, null, null, []);
        return Customer.Register(Guid.Parse("00000000-0000-0000-0000-00000000c001"), details, Owner, ProtectionTerm.StartingAt(now, policy, calendar), Owner, now);
    }

    // The owner, the clerk, the director and the manager of the owner's group read a customer; nobody else.
    [Theory]
    [InlineData(Asker.TheSalesperson, true)]
    [InlineData(Asker.AnotherSalesperson, false)]
    [InlineData(Asker.ManagerOfTheSalespersonsGroup, true)]
    [InlineData(Asker.ManagerOfAnotherGroup, false)]
    [InlineData(Asker.ManagerWithoutGroup, false)]
    [InlineData(Asker.Director, true)]
    [InlineData(Asker.Clerk, true)]
    [InlineData(Asker.Admin, false)]
    public void CanRead_CustomerOfASalespersonInAGroup_OwnerClerkDirectorAndTheirManager(Asker asker, bool expected)
    {
        Assert.Equal(expected, CustomerAccess.CanRead(ViewerFor(asker), Owner, GroupA));
    }

    [Theory]
    [InlineData(Asker.TheSalesperson, true)]
    [InlineData(Asker.AnotherSalesperson, false)]
    [InlineData(Asker.ManagerOfTheSalespersonsGroup, false)]
    [InlineData(Asker.ManagerOfAnotherGroup, false)]
    [InlineData(Asker.ManagerWithoutGroup, false)]
    [InlineData(Asker.Director, true)]
    [InlineData(Asker.Clerk, true)]
    [InlineData(Asker.Admin, false)]
    public void CanRead_OwnerWithoutGroup_NoManagerReads(Asker asker, bool expected)
    {
        Assert.Equal(expected, CustomerAccess.CanRead(ViewerFor(asker), Owner, null));
    }

    [Theory]
    [InlineData(Asker.TheSalesperson, false)]
    [InlineData(Asker.AnotherSalesperson, false)]
    [InlineData(Asker.ManagerOfTheSalespersonsGroup, false)]
    [InlineData(Asker.ManagerOfAnotherGroup, false)]
    [InlineData(Asker.ManagerWithoutGroup, false)]
    [InlineData(Asker.Director, true)]
    [InlineData(Asker.Clerk, true)]
    [InlineData(Asker.Admin, false)]
    public void CanRead_CustomerWithoutOwner_OnlyClerkAndDirector(Asker asker, bool expected)
    {
        Assert.Equal(expected, CustomerAccess.CanRead(ViewerFor(asker), null, null));
    }

    [Theory]
    [InlineData(Asker.TheSalesperson, true)]
    [InlineData(Asker.AnotherSalesperson, false)]
    [InlineData(Asker.ManagerOfTheSalespersonsGroup, true)]
    [InlineData(Asker.ManagerOfAnotherGroup, false)]
    [InlineData(Asker.ManagerWithoutGroup, false)]
    [InlineData(Asker.Director, true)]
    [InlineData(Asker.Clerk, true)]
    [InlineData(Asker.Admin, false)]
    public void CanReadSheetOf_SalespersonInAGroup_ThemselvesClerkDirectorAndTheirManager(Asker asker, bool expected)
    {
        Assert.Equal(expected, CustomerAccess.CanReadSheetOf(ViewerFor(asker), Owner, GroupA));
    }

    [Theory]
    [InlineData(Asker.TheSalesperson, true)]
    [InlineData(Asker.AnotherSalesperson, false)]
    [InlineData(Asker.ManagerOfTheSalespersonsGroup, false)]
    [InlineData(Asker.ManagerOfAnotherGroup, false)]
    [InlineData(Asker.ManagerWithoutGroup, false)]
    [InlineData(Asker.Director, true)]
    [InlineData(Asker.Clerk, true)]
    [InlineData(Asker.Admin, false)]
    public void CanReadSheetOf_SalespersonWithoutGroup_NoManagerReads(Asker asker, bool expected)
    {
        Assert.Equal(expected, CustomerAccess.CanReadSheetOf(ViewerFor(asker), Owner, null));
    }

    // Rule 3: a salesperson registers for themselves; the clerk for any salesperson.
    [Theory]
    [InlineData(Asker.TheSalesperson, true)]
    [InlineData(Asker.AnotherSalesperson, false)]
    [InlineData(Asker.ManagerOfTheSalespersonsGroup, false)]
    [InlineData(Asker.ManagerOfAnotherGroup, false)]
    [InlineData(Asker.ManagerWithoutGroup, false)]
    [InlineData(Asker.Director, false)]
    [InlineData(Asker.Clerk, true)]
    [InlineData(Asker.Admin, false)]
    public void CanRegisterFor_Salesperson_ThemselvesOrTheClerk(Asker asker, bool expected)
    {
        Assert.Equal(expected, CustomerAccess.CanRegisterFor(ViewerFor(asker), Owner));
    }

    // The owner gives a customer up; the clerk may do it for them.
    [Theory]
    [InlineData(Asker.TheSalesperson, true)]
    [InlineData(Asker.AnotherSalesperson, false)]
    [InlineData(Asker.ManagerOfTheSalespersonsGroup, false)]
    [InlineData(Asker.ManagerOfAnotherGroup, false)]
    [InlineData(Asker.ManagerWithoutGroup, false)]
    [InlineData(Asker.Director, false)]
    [InlineData(Asker.Clerk, true)]
    [InlineData(Asker.Admin, false)]
    public void CanRelease_ProtectedCustomer_OwnerOrTheClerk(Asker asker, bool expected)
    {
        Assert.Equal(expected, CustomerAccess.CanRelease(ViewerFor(asker), OwnedCustomer()));
    }

    [Theory]
    [InlineData(Asker.TheSalesperson, false)]
    [InlineData(Asker.AnotherSalesperson, false)]
    [InlineData(Asker.Director, false)]
    [InlineData(Asker.Clerk, true)]
    public void CanRelease_CustomerAlreadyGivenUp_FormerOwnerNoLonger(Asker asker, bool expected)
    {
        var customer = OwnedCustomer();
        customer.Release(Owner, null, new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.FromHours(8)), new CompanyCalendar(new PolicySettings()));

        Assert.Equal(expected, CustomerAccess.CanRelease(ViewerFor(asker), customer));
    }

    [Fact]
    public void Viewer_IsSalesperson_OnlyForTheSalespersonRole()
    {
        Assert.True(ViewerFor(Asker.TheSalesperson).IsSalesperson);
        Assert.All(
            new[] { Asker.ManagerOfTheSalespersonsGroup, Asker.Director, Asker.Clerk, Asker.Admin },
            asker => Assert.False(ViewerFor(asker).IsSalesperson));
    }
}
