using Harbor.Domain.Customers;

namespace Harbor.Domain.Access;

/// <summary>
/// Who may read a customer's record (issue "Access control"): the owner, the clerk, the
/// director, and the manager of the owner's group. Everyone else sees others' customers only
/// through the conflict check, which never shows contacts. The admin runs accounts, not customers.
/// </summary>
public static class CustomerAccess
{
    public static bool CanRead(Viewer viewer, Guid? ownerId, Guid? ownerGroupId, bool cooperates = false) => viewer.Role switch
    {
        Role.Clerk or Role.Director => true,
        // Rule 8: an approved cooperator works on the customer, so reads it in full.
        Role.Salesperson => ownerId == viewer.Id || cooperates,
        Role.Manager => ownerGroupId is not null && ownerGroupId == viewer.GroupId,
        Role.Admin => false,
    };

    /// <summary>Who may see a salesperson's list: themselves, the clerk, the director, their group's manager.</summary>
    public static bool CanReadSheetOf(Viewer viewer, Guid salespersonId, Guid? salespersonGroupId) => viewer.Role switch
    {
        Role.Clerk or Role.Director => true,
        Role.Salesperson => salespersonId == viewer.Id,
        Role.Manager => salespersonGroupId is not null && salespersonGroupId == viewer.GroupId,
        Role.Admin => false,
    };

    /// <summary>Rule 3: a salesperson registers for themselves; the clerk for any salesperson.</summary>
    public static bool CanRegisterFor(Viewer viewer, Guid salespersonId) => viewer.Role switch
    {
        Role.Salesperson => salespersonId == viewer.Id,
        Role.Clerk => true,
        Role.Manager or Role.Director or Role.Admin => false,
    };

    /// <summary>The owner gives a customer up; the clerk may do it for them.</summary>
    public static bool CanRelease(Viewer viewer, Customer customer) => viewer.Role switch
    {
        Role.Salesperson => customer.OwnerId == viewer.Id,
        Role.Clerk => true,
        Role.Manager or Role.Director or Role.Admin => false,
    };
}
