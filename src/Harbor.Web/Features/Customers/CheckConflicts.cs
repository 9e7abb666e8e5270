using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;
using Harbor.Web.Data;

namespace Harbor.Web.Features.Customers;

public sealed record CheckRequest(string? Name, string? Phone, string? CreditCode);

public sealed record CheckHolder(string DisplayName, string? Group);

public sealed record CheckMatch(Guid CustomerId, string Name, CustomerStatus Status, string Match, CheckHolder? Holder, DateOnly? DueOn, DateTimeOffset? PublishAt,
    double? Score = null);

public sealed record CheckResponse(IReadOnlyList<CheckMatch> Matches, IReadOnlyList<string>? Warnings);

/// <summary>
/// Rule 3's lookup, open to anyone signed in: who holds a name, phone or credit code, and until
/// when. It never shows a contact, phone or address of anyone's customer.
/// </summary>
public sealed class CheckConflicts(HarborDbContext db, CompanyCalendar calendar)
{
    public async Task<Result<CheckResponse>> HandleAsync(CheckRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        if (name is { Length: > CompanyName.MaxLength })
            errors["name"] = [$"Longer than {CompanyName.MaxLength} characters."];
        if (request.Phone is { Length: > CustomerDetails.MaxPhoneLength })
            errors["phone"] = [$"Longer than {CustomerDetails.MaxPhoneLength} characters."];
        if (request.CreditCode is { Length: > CustomerDetails.MaxCreditCodeLength })
            errors["creditCode"] = [$"Longer than {CustomerDetails.MaxCreditCodeLength} characters."];
        if (errors.Count > 0)
            return new Refusal.ValidationFailed(errors);

        var nameKey = name is null ? null : CompanyName.Key(name);
        var keys = new ConflictKeys(
            string.IsNullOrEmpty(nameKey) ? null : nameKey,
            LibPhoneNumberParser.Keys.Key(request.Phone),
            CreditCode.Key(request.CreditCode));
        if (keys.IsEmpty)
            return Refusal.ValidationFailed.Of("name", "Give a company name, a phone or a credit code to check.");

        var warnings = keys.CreditCodeKey is { } code && !CreditCode.HasValidCheck(code) ? new[] { "credit-code-check-failed" } : null;
        var customers = await Conflicts.FindMatchesAsync(db, keys, tracked: false, ct);
        var similar = name is null ? [] : await SimilarNames.FindAsync(db, CompanyName.Normalize(name), [.. customers.Select(c => c.Customer.Id)], ct);
        var found = customers.Select(c => (c.Customer, c.Match, Score: (double?)null))
            .Concat(similar.Select(s => (s.Customer, Match: "similar-name", Score: (double?)Math.Round(s.Score, 3))))
            .ToList();
        var reviews = await Conflicts.FindReviewsAsync(db, keys, ct);
        var holders = await Conflicts.HoldersAsync(db, found.Where(f => f.Customer.OwnerId is not null).Select(f => f.Customer.OwnerId!.Value)
            .Concat(reviews.Select(r => r.SalespersonId)), ct);
        var matches = found.Select(f =>
        {
            var c = f.Customer;
            var holder = c.OwnerId is { } owner && holders.TryGetValue(owner, out var h) ? new CheckHolder(h.DisplayName, h.Group) : null;
            var dueOn = c.Status is CustomerStatus.Protected or CustomerStatus.PendingReview ? c.DueOn : null;
            var publishAt = c.PublishAt is { } at ? calendar.ToLocal(at) : (DateTimeOffset?)null;
            return new CheckMatch(c.Id, c.Name, c.Status, f.Match, holder, dueOn, publishAt, f.Score);
        }).Concat(reviews.Select(r => new CheckMatch(r.Id, r.Name, CustomerStatus.PendingReview,
            keys.CreditCodeKey is not null && r.CreditCodeKey == keys.CreditCodeKey ? "credit-code" : keys.PhoneKey is not null && r.PhoneKey == keys.PhoneKey ? "phone" : "name",
            holders.TryGetValue(r.SalespersonId, out var reviewer) ? new CheckHolder(reviewer.DisplayName, reviewer.Group) : null, null, null))).ToList();
        return new CheckResponse(matches, warnings);
    }
}
