namespace Harbor.Domain.Customers;

public enum CustomerStatus
{
    /// <summary>Held by a salesperson under an active protection (uses a slot).</summary>
    Protected,

    /// <summary>A likely duplicate waiting for the clerk; its name and slot are reserved.</summary>
    PendingReview,

    /// <summary>Given up or expired, waiting for the next publication time; nobody can take it.</summary>
    PendingPublication,

    /// <summary>Published to every salesperson: the public pool.</summary>
    InPool,

    /// <summary>Signed and paid: stays with its owner, out of the protection clock, no slot.</summary>
    Signed,

    /// <summary>
    /// Found later to be the same company as another customer and merged into it by the clerk (issue 6): no
    /// owner, no slot; its id, keys and history resolve to the customer it was merged into.
    /// </summary>
    Merged,
}

public static class CustomerStatusExtensions
{
    /// <summary>Rule 1: only unsigned protections use a slot; a reservation under review does too.</summary>
    public static bool UsesSlot(this CustomerStatus status) => status switch
    {
        CustomerStatus.Protected or CustomerStatus.PendingReview => true,
        CustomerStatus.PendingPublication or CustomerStatus.InPool or CustomerStatus.Signed or CustomerStatus.Merged => false,
    };

    public static bool HasOwner(this CustomerStatus status) => status switch
    {
        CustomerStatus.Protected or CustomerStatus.PendingReview or CustomerStatus.Signed => true,
        CustomerStatus.PendingPublication or CustomerStatus.InPool or CustomerStatus.Merged => false,
    };
}
