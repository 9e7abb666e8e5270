using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using static Harbor.Domain.Tests.Policy.Instants;

namespace Harbor.Domain.Tests.Customers;

/// <summary>Issue 6: the clerk merges two customers found later to be one company.</summary>
public class MergeTests
{
    private static readonly PolicySettings DefaultPolicy = new();
    private static readonly CompanyCalendar Calendar = new(DefaultPolicy);
    private static readonly Guid Ann = Guid.Parse("00000000-0000-0000-0000-00000000a001");
    private static readonly Guid Bob = Guid.Parse("00000000-0000-0000-0000-00000000a002");
    private static readonly Guid Clerk = Guid.Parse("00000000-0000-0000-0000-00000000b001");
    private static readonly DateTimeOffset RegisteredAt = InShanghai(2026, 12, 1, 14, 30);
    private static readonly DateTimeOffset MergedAt = InShanghai(2026, 12, 3, 11, 0);

    private static Customer Held(string name, Guid owner, int id) =>
        Customer.Register(new Guid(id, 0, 0, new byte[8]), new CustomerDetails(name, null, null, null, null, null).Validate(TestPhones.Keys).Value!, owner,
            ProtectionTerm.StartingAt(RegisteredAt, DefaultPolicy, Calendar), Clerk, RegisteredAt);

    private static Customer InPool(string name, int id)
    {
        var customer = Held(name, Ann, id);
        customer.Release(Ann, null, RegisteredAt, Calendar);
        customer.PublishIfDue(InShanghai(2026, 12, 2, 10, 0));
        return customer;
    }

    [Fact]
    public void MergeInto_SameOwner_MergedAwayEndsAndPointsToTheKeptOne()
    {
        var kept = Held("星辰科技有限公司", Ann, 1);
        var away = Held("星晨科技", Ann, 2);

        Assert.Null(away.MergeInto(kept, Clerk, "same company, typo", MergedAt));

        Assert.Equal(CustomerStatus.Merged, away.Status);
        Assert.Equal(kept.Id, away.MergedIntoId);
        Assert.Null(away.OwnerId);
        Assert.False(away.Status.UsesSlot());
        Assert.Equal(CustomerStatus.Protected, kept.Status);
        Assert.Equal(Ann, kept.OwnerId);
    }

    [Fact]
    public void MergeInto_Both_RecordWhoWhenAndWhyOnBothHistories()
    {
        var kept = Held("星辰科技有限公司", Ann, 1);
        var away = Held("星晨科技", Ann, 2);

        away.MergeInto(kept, Clerk, "same company, typo", MergedAt);

        var awayLine = away.History.Last();
        Assert.Equal((CustomerEventKind.Merged, MergedAt, Clerk, Ann), (awayLine.Kind, awayLine.At, awayLine.ActorId, awayLine.SalespersonId));
        Assert.Contains(kept.Id.ToString(), awayLine.Reason, StringComparison.Ordinal);
        Assert.Contains("same company, typo", awayLine.Reason, StringComparison.Ordinal);
        var keptLine = kept.History.Last();
        Assert.Equal((CustomerEventKind.Merged, MergedAt, Clerk), (keptLine.Kind, keptLine.At, keptLine.ActorId));
        Assert.Contains(away.Id.ToString(), keptLine.Reason, StringComparison.Ordinal);
        Assert.Equal(2, kept.History.Count);
        Assert.Equal(2, away.History.Count);
    }

    [Fact]
    public void MergeInto_Both_BumpsBothVersions()
    {
        var kept = Held("星辰科技有限公司", Ann, 1);
        var away = Held("星晨科技", Ann, 2);
        var (keptVersion, awayVersion) = (kept.Version, away.Version);

        away.MergeInto(kept, Clerk, "typo", MergedAt);

        Assert.True(kept.Version > keptVersion);
        Assert.True(away.Version > awayVersion);
    }

    [Fact]
    public void MergeInto_FreeCustomerIntoHeldOne_Merged()
    {
        var kept = Held("星辰科技有限公司", Bob, 1);
        var away = InPool("星晨科技", 2);

        Assert.Null(away.MergeInto(kept, Clerk, "typo", MergedAt));
        Assert.Equal(CustomerStatus.Merged, away.Status);
        Assert.Equal(Bob, kept.OwnerId);
    }

    [Fact]
    public void MergeInto_HeldByDifferentSalespeople_MergeOwnersDifferAndNothingChanges()
    {
        var kept = Held("星辰科技有限公司", Ann, 1);
        var away = Held("星晨科技", Bob, 2);

        var refusal = Assert.IsType<Refusal.MergeOwnersDiffer>(away.MergeInto(kept, Clerk, "typo", MergedAt));

        Assert.Equal((away.Id, (Guid?)Bob, kept.Id, (Guid?)Ann), (refusal.CustomerId, refusal.OwnerId, refusal.IntoCustomerId, refusal.IntoOwnerId));
        Assert.Equal("merge-owners-differ", refusal.Code);
        Assert.Equal(CustomerStatus.Protected, away.Status);
        Assert.Equal(Bob, away.OwnerId);
        Assert.Single(away.History);
        Assert.Single(kept.History);
    }

    [Fact]
    public void MergeInto_HeldCustomerIntoFreeOne_MergeOwnersDiffer()
    {
        // Merging would end Bob's protection: merge the other way (keep the held one).
        var kept = InPool("星辰科技有限公司", 1);
        var away = Held("星晨科技", Bob, 2);

        Assert.IsType<Refusal.MergeOwnersDiffer>(away.MergeInto(kept, Clerk, "typo", MergedAt));
    }

    [Fact]
    public void MergeInto_SignedIntoUnsigned_MergeSignedAway()
    {
        var kept = Held("星辰科技有限公司", Ann, 1);
        var away = Held("星晨科技", Ann, 2);
        away.Sign(Ann, "签约收款", MergedAt);

        Assert.IsType<Refusal.MergeSignedAway>(away.MergeInto(kept, Clerk, "typo", MergedAt));
        Assert.Equal(CustomerStatus.Signed, away.Status);
    }

    [Fact]
    public void MergeInto_Itself_ValidationFailed()
    {
        var customer = Held("星辰科技有限公司", Ann, 1);

        Assert.IsType<Refusal.ValidationFailed>(customer.MergeInto(customer, Clerk, "typo", MergedAt));
    }

    [Fact]
    public void MergeInto_AlreadyMerged_CustomerMergedWithWhereItWent()
    {
        var kept = Held("星辰科技有限公司", Ann, 1);
        var away = Held("星晨科技", Ann, 2);
        var other = Held("星辰网络科技", Ann, 3);
        away.MergeInto(kept, Clerk, "typo", MergedAt);

        var again = Assert.IsType<Refusal.CustomerMerged>(away.MergeInto(other, Clerk, "typo", MergedAt));
        Assert.Equal(kept.Id, again.IntoCustomerId);
        Assert.IsType<Refusal.CustomerMerged>(other.MergeInto(away, Clerk, "typo", MergedAt));
    }

    [Fact]
    public void Claim_MergedCustomer_CustomerMerged()
    {
        var kept = Held("星辰科技有限公司", Ann, 1);
        var away = InPool("星晨科技", 2);
        away.MergeInto(kept, Clerk, "typo", MergedAt);

        var claimed = away.Claim(Bob, ProtectionTerm.StartingAt(MergedAt, DefaultPolicy, Calendar), MergedAt);

        Assert.IsType<Refusal.CustomerMerged>(claimed.Refusal);
    }

    [Fact]
    public void FollowMerge_KeptCustomerMergedInTurn_PointsStraightToTheLast()
    {
        var first = Held("星辰科技有限公司", Ann, 1);
        var second = Held("星晨科技", Ann, 2);
        var third = Held("星辰网络科技", Ann, 3);
        second.MergeInto(first, Clerk, "typo", MergedAt);
        first.MergeInto(third, Clerk, "typo", MergedAt);

        second.FollowMerge(third.Id);

        Assert.Equal(third.Id, second.MergedIntoId);
        third.FollowMerge(first.Id);
        Assert.Null(third.MergedIntoId);
    }
}
