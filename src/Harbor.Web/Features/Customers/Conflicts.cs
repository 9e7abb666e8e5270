using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

/// <summary>The keys a prospect is looked up by in the master registry (rule 3).</summary>
public sealed record ConflictKeys(string? NameKey, string? PhoneKey, string? CreditCodeKey)
{
    public bool IsEmpty => NameKey is null && PhoneKey is null && CreditCodeKey is null;

    /// <summary>Which key made a customer a match: the strongest one wins.</summary>
    public string MatchOf(Customer customer) => MatchOf(customer.NameKey, customer.PhoneKey, customer.CreditCodeKey);

    /// <inheritdoc cref="MatchOf(Customer)"/>
    public string MatchOf(string? nameKey, string? phoneKey, string? creditCodeKey) =>
        CreditCodeKey is not null && creditCodeKey == CreditCodeKey ? "credit-code"
        : PhoneKey is not null && phoneKey == PhoneKey ? "phone"
        : "name";
}

/// <summary>Exact-key lookups shared by the conflict check and registration.</summary>
public static class Conflicts
{
    public static async Task<List<Customer>> FindAsync(HarborDbContext db, ConflictKeys keys, bool tracked, CancellationToken ct) =>
        [.. (await FindMatchesAsync(db, keys, tracked, ct)).Select(m => m.Customer)];

    /// <summary>
    /// The customers holding one of the keys, with the strongest key each matched on. A merged-away customer
    /// keeps its keys (so nobody registers it anew) and counts as the customer it was merged into, once.
    /// </summary>
    public static async Task<List<(Customer Customer, string Match)>> FindMatchesAsync(HarborDbContext db, ConflictKeys keys, bool tracked, CancellationToken ct)
    {
        if (keys.IsEmpty)
            return [];
        var query = tracked ? db.Customers : db.Customers.AsNoTracking();
        var found = await query
            .Where(c => (keys.NameKey != null && c.NameKey == keys.NameKey)
                || (keys.PhoneKey != null && c.PhoneKey == keys.PhoneKey)
                || (keys.CreditCodeKey != null && c.CreditCodeKey == keys.CreditCodeKey))
            .OrderBy(c => c.Id)
            .Take(20)
            .ToListAsync(ct);
        var kept = await KeptAsync(db, found, tracked, ct);
        return [.. found.Select(c => (Customer: Resolve(c, kept), Match: keys.MatchOf(c)))
            .Where(m => m.Customer.Status != CustomerStatus.Merged)
            .GroupBy(m => m.Customer.Id)
            .Select(g => g.OrderBy(m => Strength(m.Match)).First())];
    }

    /// <summary>Issue 6: the customers that merged-away ones among <paramref name="customers"/> were merged into.</summary>
    public static async Task<Dictionary<Guid, Customer>> KeptAsync(HarborDbContext db, IReadOnlyCollection<Customer> customers, bool tracked, CancellationToken ct)
    {
        var wanted = customers.Where(c => c.MergedIntoId is not null).Select(c => c.MergedIntoId!.Value).Distinct().ToList();
        if (wanted.Count == 0)
            return [];
        var query = tracked ? db.Customers : db.Customers.AsNoTracking();
        var present = customers.Where(c => wanted.Contains(c.Id)).ToList();
        var missing = wanted.Except(present.Select(c => c.Id)).ToList();
        var loaded = missing.Count == 0 ? [] : await query.Where(c => missing.Contains(c.Id)).ToListAsync(ct);
        return present.Concat(loaded).ToDictionary(c => c.Id);
    }

    public static Customer Resolve(Customer customer, Dictionary<Guid, Customer> kept) =>
        customer.MergedIntoId is { } id && kept.TryGetValue(id, out var into) ? into : customer;

    private static int Strength(string match) => match switch
    {
        "credit-code" => 0,
        "phone" => 1,
        _ => 2,
    };

    /// <summary>Registrations waiting for the clerk that reserve one of these keys.</summary>
    public static async Task<List<RegistrationReview>> FindReviewsAsync(HarborDbContext db, ConflictKeys keys, CancellationToken ct)
    {
        if (keys.IsEmpty)
            return [];
        return await db.Reviews.AsNoTracking()
            .Where(r => r.Status == ReviewStatus.Pending
                && ((keys.NameKey != null && r.NameKey == keys.NameKey)
                    || (keys.PhoneKey != null && r.PhoneKey == keys.PhoneKey)
                    || (keys.CreditCodeKey != null && r.CreditCodeKey == keys.CreditCodeKey)))
            .OrderBy(r => r.RequestedAt)
            .Take(20)
            .ToListAsync(ct);
    }

    /// <summary>Who holds each owned customer: display name and group, nothing more.</summary>
    public static async Task<Dictionary<Guid, Holder>> HoldersAsync(HarborDbContext db, IEnumerable<Guid> ownerIds, CancellationToken ct)
    {
        var ids = ownerIds.Distinct().ToList();
        if (ids.Count == 0)
            return [];
        return await db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.Id))
            .Select(u => new Holder(u.Id, u.DisplayName, u.Group!.Name))
            .ToDictionaryAsync(h => h.SalespersonId, ct);
    }

    /// <summary>The refusal a registration meets: a held customer outranks one in the pool.</summary>
    public static async Task<Refusal?> RefusalForAsync(HarborDbContext db, IReadOnlyList<Customer> matches, CancellationToken ct)
    {
        if (matches.Count == 0)
            return null;
        var first = matches.OrderBy(c => c.Status == CustomerStatus.InPool ? 1 : 0).First();
        var holders = await HoldersAsync(db, first.OwnerId is { } owner ? [owner] : [], ct);
        return first.ConflictFor(first.OwnerId is { } id ? holders.GetValueOrDefault(id) : null);
    }
}
